package io.stepbox.connect;

/**
 * stepbox could not use the Temporal server it was pointed at: nothing answers, the namespace does
 * not exist, or the server refuses us. The message says what was wrong and what to do.
 */
public class TemporalConnectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public TemporalConnectException(String message, Throwable cause) {
    super(message, cause);
  }
}
