package io.stepbox.workflows.session;

import io.stepbox.workflows.step.StepResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A session for agents that decide at run time: each {@link #exec} is one durable step from the
 * session's current snapshot, which then advances to the step's snapshot. Execs, forks and close
 * run one at a time in arrival order. The session continues as new before its history grows large,
 * carrying its snapshot and counters, and ends after an idle timeout keeping its snapshot.
 */
@WorkflowInterface
public interface SessionWorkflow {

  /** The failure type of an exec whose activity failed. */
  String EXEC_FAILED = "ExecFailed";

  /** The failure type of execs and forks refused by a validator. */
  String INVALID_EXEC = "InvalidExec";

  /** Serves execs until the session is closed or idle; returns the final state. */
  @WorkflowMethod
  SessionState run(SessionInput input);

  /**
   * Runs {@code command} from the current snapshot, after every exec that arrived before it, and
   * returns its result. The session advances to the result's snapshot whatever the exit code, like
   * a shell. An exec whose activity fails (invalid request, or infrastructure failing after
   * retries) fails this update with type {@value #EXEC_FAILED} and leaves the snapshot as it was.
   */
  @UpdateMethod
  StepResult exec(ExecCommand command);

  /** Refuses execs after close, empty commands, non-positive timeouts and relative workdirs. */
  @UpdateValidatorMethod(updateName = "exec")
  void validateExec(ExecCommand command);

  /**
   * Starts a new session from the current snapshot (after every exec that arrived before) and
   * returns its workflow id: this session's id + {@code -fork-} + n. The fork outlives this
   * session.
   */
  @UpdateMethod
  String fork();

  /** Refuses forks after close. */
  @UpdateValidatorMethod(updateName = "fork")
  void validateFork();

  /**
   * Refuses further execs, waits for those already accepted, and returns the final state. The
   * snapshot is kept; the warm sandbox, if any, is released.
   */
  @UpdateMethod
  SessionState close();

  /** The session as it stands. */
  @QueryMethod
  SessionState state();
}
