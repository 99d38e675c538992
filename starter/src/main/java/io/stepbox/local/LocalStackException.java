package io.stepbox.local;

/**
 * The local stack failed: the temporal CLI is missing, the dev server did not start, or Temporal
 * cannot be reached. The message says what was wrong and what to do.
 */
public class LocalStackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public LocalStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
