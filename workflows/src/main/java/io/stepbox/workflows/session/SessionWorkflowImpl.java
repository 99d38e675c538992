package io.stepbox.workflows.session;

import io.stepbox.workflows.internal.Failures;
import io.stepbox.workflows.internal.StepRunner;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;

/** Serves a session's execs one at a time from its current snapshot. */
public class SessionWorkflowImpl implements SessionWorkflow {
  private final SessionInput input;
  private final String id;
  private final ExecQueue queue = new ExecQueue();
  private final StepRunner runner;
  private final Forks forks;
  private String snapshot;
  private long execCount;
  private StepResult lastResult;
  private int execsThisRun;
  private boolean closed;
  private String endReason;

  /** Restores the carried state before any update can arrive. */
  @WorkflowInit
  public SessionWorkflowImpl(SessionInput input) {
    this.input = input;
    this.id = Workflow.getInfo().getWorkflowId();
    this.snapshot = input.baseSnapshotId();
    this.execCount = input.carry().execCount();
    this.lastResult = input.carry().lastResult();
    this.runner = new StepRunner(input.carry().warm());
    this.forks = new Forks(id, input.carry().forkCount());
  }

  @Override
  public SessionState run(SessionInput ignored) {
    Duration idle = Duration.ofMillis(input.idleTimeoutMillis());
    while (!closed) {
      if (!Workflow.await(idle, () -> closed || queue.busy())) {
        closed = true;
        endReason = SessionState.IDLE;
        break;
      }
      Workflow.await(() -> !queue.busy());
      if (!closed && continueAsNewDue()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        SessionCarry carry = new SessionCarry(execCount, forks.count(), lastResult, runner.held());
        Workflow.continueAsNew(input.at(snapshot, carry));
      }
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    runner.releaseWarm();
    return state();
  }

  private boolean continueAsNewDue() {
    return execsThisRun >= input.continueAsNewAfter()
        || Workflow.getInfo().isContinueAsNewSuggested();
  }

  @Override
  public StepResult exec(ExecCommand command) {
    queue.enter();
    try {
      StepRequest request = SessionRequests.request(input, id, ++execCount, snapshot, command);
      StepResult result;
      try {
        result = runner.run(request).result();
      } catch (ActivityFailure e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "exec " + request.stepId() + " failed: " + Failures.describe(e), EXEC_FAILED);
      }
      execsThisRun++;
      lastResult = result;
      if (result.snapshotId() != null) {
        snapshot = result.snapshotId();
      }
      return result;
    } finally {
      queue.leave();
    }
  }

  @Override
  public void validateExec(ExecCommand command) {
    refuseIfClosed("exec");
    String problem = SessionRequests.problem(command);
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(problem, INVALID_EXEC);
    }
  }

  @Override
  public String fork() {
    queue.enter();
    try {
      return forks.start(input.at(snapshot, SessionCarry.NEW));
    } finally {
      queue.leave();
    }
  }

  @Override
  public void validateFork() {
    refuseIfClosed("fork");
  }

  @Override
  public SessionState close() {
    if (!closed) {
      closed = true;
      endReason = SessionState.CLOSED;
    }
    queue.enter();
    queue.leave();
    return state();
  }

  @Override
  public SessionState state() {
    return new SessionState(
        id, input.image(), snapshot, execCount, forks.count(), closed, endReason, lastResult);
  }

  private void refuseIfClosed(String what) {
    if (closed) {
      throw ApplicationFailure.newNonRetryableFailure(
          "session " + id + " is closed (" + endReason + "); start a new session", INVALID_EXEC);
    }
  }
}
