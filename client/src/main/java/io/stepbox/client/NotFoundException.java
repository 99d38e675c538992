package io.stepbox.client;

/**
 * No such task or session, it has ended where a running one is needed, it is of the other kind (a
 * session where a task was named), or the step, attempt or output asked for does not exist.
 */
public final class NotFoundException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  /** What was not found, and what exists instead where that helps. */
  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
