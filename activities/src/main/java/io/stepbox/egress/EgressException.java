package io.stepbox.egress;

/**
 * An egress proxy could not be set up or went away. Retryable when the fault is the host's (the
 * proxy died, a port was taken); final when the request or the settings are wrong.
 */
public final class EgressException extends RuntimeException {
  private final boolean retryable;

  public EgressException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public EgressException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether trying again (another attempt of the step) may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
