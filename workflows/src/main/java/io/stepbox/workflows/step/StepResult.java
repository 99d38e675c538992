package io.stepbox.workflows.step;

/**
 * What a step did: the output of {@link StepActivities#runStep}, returned only after its snapshot
 * is committed. A non-zero exit code, a timeout or an OOM kill is a result, not a failure. Only
 * bounded tails of the output are here; the full output is in the blob store.
 *
 * @param taskId the request's task id
 * @param stepId the request's step id
 * @param approach the request's approach
 * @param outcome {@value #EXITED}, {@value #TIMED_OUT} or {@value #OOM_KILLED}
 * @param exitCode the command's exit code; meaningful for {@value #EXITED}
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
 */
public record StepResult(
    String taskId,
    String stepId,
    String approach,
    String outcome,
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
    String warmSandboxId) {

  /** The command exited by itself; see the exit code. */
  public static final String EXITED = "EXITED";

  /** The command ran out of time and was killed. */
  public static final String TIMED_OUT = "TIMED_OUT";

  /** The command ran out of memory and was killed. */
  public static final String OOM_KILLED = "OOM_KILLED";

  /** Maximum bytes of each output tail. */
  public static final int TAIL_BYTES = 4096;

  /** No phases measured reads as zeros. */
  public StepResult {
    phases = phases == null ? StepPhases.NONE : phases;
  }

  /** Whether the command exited with code 0. */
  public boolean succeeded() {
    return EXITED.equals(outcome) && exitCode == 0;
  }
}
