package io.stepbox.local;

import io.stepbox.connect.TemporalConnectException;

/**
 * The local stack failed: the temporal CLI is missing or the dev server did not start. The
 * message says what was wrong and what to do.
 */
public class LocalStackException extends TemporalConnectException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public LocalStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
