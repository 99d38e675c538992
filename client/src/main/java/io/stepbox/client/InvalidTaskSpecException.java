package io.stepbox.client;

import io.stepbox.workflows.spec.SpecError;
import java.util.List;

/**
 * A task spec that cannot run; nothing was started. {@link #errors()} holds every error found, each
 * with its path, such as {@code steps[1].run: must not be empty}.
 */
public final class InvalidTaskSpecException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  private final transient List<SpecError> errors;

  /**
   * @param source the file the spec was read from, named in the message; null for a spec given as
   *     an object or as text
   * @param errors every error, not empty
   */
  public InvalidTaskSpecException(String source, List<SpecError> errors, Throwable cause) {
    super(describe(source, errors), cause);
    this.errors = List.copyOf(errors);
  }

  /** Every error, in the order the spec was checked. */
  public List<SpecError> errors() {
    return errors;
  }

  /** {@code FILE is not a valid task spec:} and one indented line per error. */
  private static String describe(String source, List<SpecError> errors) {
    StringBuilder msg =
        new StringBuilder(
            source == null ? "the task spec is not valid:" : source + " is not a valid task spec:");
    for (SpecError error : errors) {
      msg.append("\n  ").append(error);
    }
    return msg.toString();
  }
}
