package io.stepbox.workflows.step;

/**
 * Where a step's time went, as the worker measured it.
 *
 * @param sandboxMillis creating (or reusing) the sandbox
 * @param restoreMillis restoring the base snapshot into it; 0 when a warm sandbox was reused
 * @param execMillis running the command
 * @param snapshotMillis taking and committing the snapshot
 * @param totalMillis the whole activity, from start to result
 */
public record StepPhases(
    long sandboxMillis,
    long restoreMillis,
    long execMillis,
    long snapshotMillis,
    long totalMillis) {

  /** No time measured. */
  public static final StepPhases NONE = new StepPhases(0, 0, 0, 0, 0);
}
