package io.stepbox.client;

/**
 * The task or session refused a request and nothing changed: a decision on an unknown step, a step
 * without a gate, one not waiting yet or already decided; an exec or fork after close; a request to
 * a task or session that has ended. {@link #reason()} is the workflow's own words.
 */
public final class RefusedException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /** A refusal whose message is {@code message} and whose reason is {@code reason}. */
  public RefusedException(String message, String reason, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the request was refused, as the workflow's validator (or the ended workflow) said. */
  public String reason() {
    return reason;
  }
}
