package io.stepbox.client;

/**
 * A session's exec could not run: the worker refused the request or its infrastructure kept failing
 * after retries. The session did not move; its snapshot is the one before the exec. (A command that
 * exits non-zero, times out or runs out of memory is a result, not this.)
 */
public final class ExecFailedException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  /** The exec failed for the reason in {@code message}. */
  public ExecFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
