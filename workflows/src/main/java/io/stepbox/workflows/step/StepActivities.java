package io.stepbox.workflows.step;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The step contract: the activities every stepbox worker serves on the shared task queue {@link
 * io.stepbox.workflows.TaskQueues#SHARED}, and on its own worker-specific queue for the sandboxes
 * it keeps warm.
 *
 * <p>Failures: a request that can never run (bad image name, relative workdir, unknown network)
 * fails with a non-retryable {@code ApplicationFailure} of type {@value #INVALID_STEP} whose
 * message names the bad field. Infrastructure faults (engine or store down) fail retryably.
 * Everything the command itself does, including a non-zero exit, a timeout or an OOM kill, is a
 * {@link StepResult}.
 *
 * <p>Implementations heartbeat at least every few seconds while they work, so that workflows can
 * use a short heartbeat timeout to notice a dead worker.
 */
@ActivityInterface
public interface StepActivities {

  /** The failure type of requests that can never run; never retried. */
  String INVALID_STEP = "InvalidStep";

  /**
   * Starts a sandbox from the request's base (or reuses the warm one named in the request when it
   * still holds that base), runs the command, stores the full output in the blob store, snapshots
   * the filesystem and commits the snapshot, then returns. Idempotent in effect: every attempt
   * starts from the same base; a repeated attempt may write another snapshot.
   *
   * <p>When {@link StepRequest#keepWarm()} is set the worker may keep the sandbox and say so in
   * {@link StepResult#warmQueue()} and {@link StepResult#warmSandboxId()}; otherwise it removes the
   * sandbox before returning.
   */
  @ActivityMethod
  StepResult runStep(StepRequest request);

  /**
   * Restores {@code request.snapshotId()} and stores the requested paths as one tar in the blob
   * store. Paths that do not exist are listed in {@link ExportResult#missing()}, not failed.
   * Idempotent: the tar of the same snapshot and paths has the same content.
   */
  @ActivityMethod
  ExportResult exportPaths(ExportRequest request);

  /**
   * Removes a sandbox this worker keeps warm. Called on the worker-specific queue named in {@link
   * StepResult#warmQueue()}. Removing a sandbox that is already gone succeeds.
   */
  @ActivityMethod
  void releaseWarm(String sandboxId);
}
