package io.stepbox.client;

/**
 * The base of every failure of {@link StepboxClient} and its handles. Unchecked, like Temporal's
 * own client failures; the subclasses say what went wrong and the message says what to do.
 */
public class StepboxClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public StepboxClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
