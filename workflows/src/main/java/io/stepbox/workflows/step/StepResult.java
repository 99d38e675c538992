package io.stepbox.workflows.step;

import io.stepbox.workflows.egress.EgressSummary;

/**
 * What a step did: the output of {@link StepActivities#runStep}, returned only after its snapshot
 * is committed. A non-zero exit code, a timeout or an OOM kill is a result, not a failure. Only
 * bounded tails of the output are here; the full output is in the blob store.
 *
 * @param taskId the request's task id
 * @param stepId the request's step id
 * @param approach the request's approach
 * @param outcome how the command ended
 * @param exitCode the command's exit code; meaningful for {@link ExecOutcome#EXITED}
 * @param stdoutTail the last bytes of stdout, at most {@value #TAIL_BYTES} bytes
 * @param stderrTail the last bytes of stderr, at most {@value #TAIL_BYTES} bytes
 * @param stdoutRef blob key of the full stdout
 * @param stderrRef blob key of the full stderr
 * @param stdoutBytes bytes the command wrote to stdout
 * @param stderrBytes bytes the command wrote to stderr
 * @param snapshotId the snapshot of the sandbox after the command
 * @param snapshotBytes size of the snapshot's diff
 * @param uploadedBytes bytes actually uploaded (chunks the store did not have)
 * @param fileCount files in the snapshot
 * @param phases where the time went
 * @param warmQueue the worker-specific task queue of the worker holding the sandbox warm, or null
 *     when the sandbox is gone
 * @param warmSandboxId the sandbox held warm, or null
 * @param warm whether the command ran in a sandbox already started for this task or session (held
 *     warm from its previous step), so no sandbox was started or restored for it; false in results
 *     recorded before this field existed
 * @param egress what went through the egress proxy; null when the step had no egress
 */
public record StepResult(
    String taskId,
    String stepId,
    String approach,
    ExecOutcome outcome,
    int exitCode,
    String stdoutTail,
    String stderrTail,
    String stdoutRef,
    String stderrRef,
    long stdoutBytes,
    long stderrBytes,
    String snapshotId,
    long snapshotBytes,
    long uploadedBytes,
    long fileCount,
    StepPhases phases,
    String warmQueue,
    String warmSandboxId,
    boolean warm,
    EgressSummary egress) {

  /** Maximum bytes of each output tail. */
  public static final int TAIL_BYTES = 4096;

  /** No phases measured reads as zeros. */
  public StepResult {
    phases = phases == null ? StepPhases.NONE : phases;
  }

  /** A result without egress. */
  public StepResult(
      String taskId,
      String stepId,
      String approach,
      ExecOutcome outcome,
      int exitCode,
      String stdoutTail,
      String stderrTail,
      String stdoutRef,
      String stderrRef,
      long stdoutBytes,
      long stderrBytes,
      String snapshotId,
      long snapshotBytes,
      long uploadedBytes,
      long fileCount,
      StepPhases phases,
      String warmQueue,
      String warmSandboxId,
      boolean warm) {
    this(
        taskId,
        stepId,
        approach,
        outcome,
        exitCode,
        stdoutTail,
        stderrTail,
        stdoutRef,
        stderrRef,
        stdoutBytes,
        stderrBytes,
        snapshotId,
        snapshotBytes,
        uploadedBytes,
        fileCount,
        phases,
        warmQueue,
        warmSandboxId,
        warm,
        null);
  }

  /** Whether the command exited with code 0. */
  public boolean succeeded() {
    return outcome == ExecOutcome.EXITED && exitCode == 0;
  }
}
