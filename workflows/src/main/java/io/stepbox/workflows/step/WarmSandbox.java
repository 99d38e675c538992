package io.stepbox.workflows.step;

/**
 * A sandbox a worker keeps after a step, so that the next step can skip the restore.
 *
 * @param queue the worker-specific task queue of the worker holding it
 * @param sandboxId the sandbox
 * @param snapshotId the snapshot the sandbox's filesystem equals
 */
public record WarmSandbox(String queue, String sandboxId, String snapshotId) {

  /** The warm sandbox a result reports, or null when the worker kept none. */
  public static WarmSandbox of(StepResult result) {
    if (result == null || result.warmQueue() == null || result.warmSandboxId() == null) {
      return null;
    }
    return new WarmSandbox(result.warmQueue(), result.warmSandboxId(), result.snapshotId());
  }
}
