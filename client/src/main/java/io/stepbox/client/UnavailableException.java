package io.stepbox.client;

/**
 * Temporal cannot be reached at the configured address, or does not serve the namespace. Trying
 * again later can help; the message says how to start a server.
 */
public class UnavailableException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  /** Unavailable for the reason in {@code message}. */
  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
