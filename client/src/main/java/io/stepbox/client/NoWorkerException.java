package io.stepbox.client;

/**
 * No worker answered a query about a running task or session within {@link
 * io.stepbox.connect.TemporalConnection#QUERY_TIMEOUT}: start one with {@code stepbox worker}. The
 * task itself is unharmed and goes on once a worker polls.
 */
public final class NoWorkerException extends UnavailableException {
  private static final long serialVersionUID = 1L;

  /** No worker answered; {@code message} says about what and why. */
  public NoWorkerException(String message, Throwable cause) {
    super(message, cause);
  }
}
