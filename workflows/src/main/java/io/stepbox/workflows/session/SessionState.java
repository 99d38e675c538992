package io.stepbox.workflows.session;

import io.stepbox.workflows.step.StepResult;

/**
 * A session as it stands: the answer of {@link SessionWorkflow#state()}, of {@link
 * SessionWorkflow#close()} and the result of {@link SessionWorkflow#run}.
 *
 * @param id the workflow id
 * @param image the container image
 * @param snapshotId the current snapshot, which the next exec starts from; null: the image
 * @param execCount execs started so far, across continue-as-new
 * @param forkCount forks started so far
 * @param closed whether the session accepts no more execs
 * @param endReason {@value #CLOSED} or {@value #IDLE} once closed; null before
 * @param lastResult the result of the last exec, or null
 */
public record SessionState(
    String id,
    String image,
    String snapshotId,
    long execCount,
    int forkCount,
    boolean closed,
    String endReason,
    StepResult lastResult) {

  /** Ended by {@link SessionWorkflow#close()}. */
  public static final String CLOSED = "closed";

  /** Ended by the idle timeout. */
  public static final String IDLE = "idle";
}
