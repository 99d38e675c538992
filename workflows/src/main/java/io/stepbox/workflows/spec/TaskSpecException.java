package io.stepbox.workflows.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A task spec that cannot run, with every error found in it. */
public class TaskSpecException extends RuntimeException {
  private final transient List<SpecError> errors;

  /** An exception listing {@code errors}, which must not be empty. */
  public TaskSpecException(List<SpecError> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  /** Every error, in the order the spec was checked. */
  public List<SpecError> errors() {
    return errors;
  }

  private static String describe(List<SpecError> errors) {
    String lines = errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    return "invalid task spec ("
        + errors.size()
        + (errors.size() == 1 ? " error" : " errors")
        + "):\n"
        + lines;
  }
}
