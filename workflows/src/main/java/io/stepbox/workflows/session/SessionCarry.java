package io.stepbox.workflows.session;

import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.step.WarmSandbox;

/**
 * What a session carries into its next run when it continues as new.
 *
 * @param execCount execs run so far, across runs; numbers the next exec
 * @param forkCount forks started so far, across runs; numbers the next fork
 * @param lastResult the result of the last exec, or null
 * @param warm the sandbox a worker holds warm at the current snapshot, or null
 */
public record SessionCarry(long execCount, int forkCount, StepResult lastResult, WarmSandbox warm) {

  /** A session that has not run anything yet. */
  public static final SessionCarry NEW = new SessionCarry(0, 0, null, null);
}
