package io.stepbox.workflows.spec;

/**
 * One thing wrong with a task spec.
 *
 * @param path where, such as {@code steps[1].approaches[0].run}; empty for the whole spec
 * @param message what is wrong and, where it helps, what to write instead
 */
public record SpecError(String path, String message) {

  /** {@code path: message}, the form every tool prints. */
  @Override
  public String toString() {
    return path == null || path.isEmpty() ? message : path + ": " + message;
  }
}
