package io.stepbox.workflows.internal;

import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.StepActivities;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.step.WarmSandbox;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;

/**
 * Runs step activities for a workflow and keeps track of the sandbox a worker holds warm for it.
 * For workflow code only: one instance per workflow run, not thread-safe, deterministic.
 *
 * <p>A step whose base is the warm sandbox's snapshot goes to that worker's own queue with a short
 * schedule-to-start timeout; if no worker picks it up in time it runs on the shared queue from the
 * stored snapshot. A step from any other base releases the warm sandbox first.
 */
public final class StepRunner {
  private WarmSandbox held;

  /** A runner holding {@code warm} at first: null, or a warm sandbox carried over. */
  public StepRunner(WarmSandbox warm) {
    this.held = warm;
  }

  /** The result of one step activity, and how it ran. */
  public record Attempt(StepResult result, boolean warm, long durationMillis) {}

  /**
   * Runs {@code request}, on the warm worker when it holds the request's base.
   *
   * @throws ActivityFailure when the activity failed after its retries
   */
  public Attempt run(StepRequest request) {
    long start = Workflow.currentTimeMillis();
    WarmSandbox warm = held;
    held = null;
    if (warm != null
        && warm.snapshotId() != null
        && warm.snapshotId().equals(request.baseSnapshotId())) {
      StepResult r = runWarm(warm, request);
      if (r != null) {
        return finish(r, true, start);
      }
    } else if (warm != null) {
      release(warm);
    }
    StepActivities shared = StepActivityStubs.shared(request.limits().timeoutMillis());
    return finish(shared.runStep(request.withWarmSandboxId(null)), false, start);
  }

  private StepResult runWarm(WarmSandbox warm, StepRequest request) {
    StepActivities stub = StepActivityStubs.warm(warm.queue(), request.limits().timeoutMillis());
    try {
      return stub.runStep(request.withWarmSandboxId(warm.sandboxId()));
    } catch (ActivityFailure e) {
      if (notStarted(e)) {
        return null;
      }
      throw e;
    }
  }

  private Attempt finish(StepResult result, boolean warm, long start) {
    held = WarmSandbox.of(result);
    return new Attempt(result, warm, Workflow.currentTimeMillis() - start);
  }

  /** Exports paths of a snapshot, on the shared queue. */
  public ExportResult export(ExportRequest request) {
    return StepActivityStubs.export().exportPaths(request);
  }

  /** Releases the warm sandbox, if one is held; failures are ignored (the reaper removes it). */
  public void releaseWarm() {
    WarmSandbox warm = held;
    held = null;
    if (warm != null) {
      release(warm);
    }
  }

  /** The sandbox a worker holds warm for this workflow, or null. */
  public WarmSandbox held() {
    return held;
  }

  private void release(WarmSandbox warm) {
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                StepActivityStubs.release(warm.queue()).releaseWarm(warm.sandboxId());
              } catch (ActivityFailure e) {
                Workflow.getLogger(StepRunner.class)
                    .info("warm sandbox {} not released: {}", warm.sandboxId(), e.getMessage());
              }
            })
        .run();
  }

  private static boolean notStarted(ActivityFailure e) {
    return e.getCause() instanceof TimeoutFailure t
        && t.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
  }
}
