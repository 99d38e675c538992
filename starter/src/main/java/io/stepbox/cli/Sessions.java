package io.stepbox.cli;

import io.stepbox.local.TemporalConnection;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.ExecCommand;
import io.stepbox.workflows.session.SessionInput;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.session.SessionWorkflow;
import io.stepbox.workflows.step.StepResult;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.function.Supplier;

/**
 * Sessions on Temporal for the command line: start, exec, fork, close, state; errors translated.
 */
final class Sessions implements AutoCloseable {
  static final String WORKFLOW_TYPE = "SessionWorkflow";

  private final TemporalConnection temporal;

  Sessions(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  static Sessions connect(StepboxConfig config) {
    return new Sessions(
        TemporalConnection.connect(config.temporalAddress(), config.temporalNamespace()));
  }

  /** Starts session {@code id} with {@code input} on the shared task queue. */
  void start(String id, SessionInput input) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(id).build();
    SessionWorkflow session = client().newWorkflowStub(SessionWorkflow.class, options);
    call(id, () -> WorkflowClient.start(session::run, input));
  }

  /** Runs {@code command} in session {@code id} and returns its result once it has run. */
  StepResult exec(String id, ExecCommand command) {
    try {
      return update(id, () -> stub(id).exec(command));
    } catch (CommandException e) {
      if (SessionWorkflow.EXEC_FAILED.equals(TemporalErrors.failureType(e))) {
        throw new CommandException(TaskExit.UNAVAILABLE, TemporalErrors.failureMessage(e), e);
      }
      throw e;
    }
  }

  /** Forks session {@code id}; returns the new session's id. */
  String fork(String id) {
    return update(id, () -> stub(id).fork());
  }

  /** Closes session {@code id} after the execs it accepted; returns its final state. */
  SessionState close(String id) {
    return update(id, () -> stub(id).close());
  }

  /**
   * The session as it stands: from the state query while it runs (a worker must poll), from its
   * result once it has ended.
   */
  SessionState state(String id) {
    WorkflowStub stub = client().newUntypedWorkflowStub(id);
    WorkflowExecutionDescription d = call(id, stub::describe);
    if (!d.getWorkflowType().equals(WORKFLOW_TYPE)) {
      throw new CommandException(
          TaskExit.FAILED,
          "'"
              + id
              + "' is a "
              + d.getWorkflowType()
              + ", not a session"
              + (d.getWorkflowType().equals(Tasks.WORKFLOW_TYPE) ? ": stepbox status " + id : ""),
          null);
    }
    if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return call(id, () -> stub.getResult(SessionState.class));
    }
    try {
      return Deadlines.within(
          TemporalConnection.QUERY_TIMEOUT, () -> stub.query("state", SessionState.class));
    } catch (RuntimeException e) {
      throw TemporalErrors.translateQuery(e, "session", id, temporal);
    }
  }

  /** A handle on session {@code id} for its Updates and queries. */
  SessionWorkflow stub(String id) {
    return client().newWorkflowStub(SessionWorkflow.class, id);
  }

  private WorkflowClient client() {
    return temporal.client();
  }

  /** Runs an update; when the session has ended, says so and how to go on from its snapshot. */
  private <T> T update(String id, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      if (TemporalErrors.notFound(e)) {
        SessionState s = state(id);
        throw new CommandException(
            TaskExit.FAILED,
            "session "
                + id
                + " has ended ("
                + s.endReason()
                + ")"
                + (s.snapshotId() == null
                    ? ""
                    : "; go on from its snapshot: stepbox session start --from-snapshot "
                        + s.snapshotId()),
            e);
      }
      throw TemporalErrors.translate(e, "session", id, temporal);
    }
  }

  private <T> T call(String id, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw TemporalErrors.translate(e, "session", id, temporal);
    }
  }

  @Override
  public void close() {
    temporal.close();
  }
}
