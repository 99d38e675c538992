package io.stepbox.client;

import io.stepbox.connect.TemporalConnection;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.session.ExecCommand;
import io.stepbox.workflows.session.ExecOptions;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.session.SessionWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * A session (a {@code SessionWorkflow} whose workflow id is {@link #id()}) for an agent that
 * decides at run time: each {@link #exec} is one durable step from the session's current snapshot,
 * which then moves to the step's snapshot whatever the exit code, like a shell. Execs, forks and
 * close run one at a time in the order they arrive. A handle holds no state of its own; every call
 * asks Temporal. Safe to share between threads.
 */
public final class SessionHandle {
  static final String WORKFLOW_TYPE = "SessionWorkflow";

  private final ClientContext context;
  private final String id;

  SessionHandle(ClientContext context, String id) {
    this.context = context;
    this.id = id;
  }

  /** The session id (its workflow id). */
  public String id() {
    return id;
  }

  /** {@link #exec(String, ExecOptions)} with the session's own env, workdir and limits. */
  public ExecResult exec(String command) {
    return exec(command, ExecOptions.NONE);
  }

  /**
   * Runs {@code command} with {@code sh -c} from the current snapshot, after every exec that
   * arrived before it, and returns its result once its snapshot is stored. A non-zero exit, a
   * timeout or running out of memory is a result.
   *
   * @throws RefusedException the session is closed or has ended, or the command or options are
   *     invalid (an empty command, a relative workdir)
   * @throws ExecFailedException the exec could not run; the session did not move
   */
  public ExecResult exec(String command, ExecOptions options) {
    return ExecResult.of(update(() -> stub().exec(new ExecCommand(command, options))));
  }

  /**
   * Runs {@code argv}, a program and its arguments, without any shell: it works in an image that
   * has none, or whose shell a previous exec removed. Otherwise as {@link #exec(String,
   * ExecOptions)}.
   */
  public ExecResult exec(List<String> argv, ExecOptions options) {
    return ExecResult.of(update(() -> stub().exec(ExecCommand.argv(argv, options))));
  }

  /**
   * Starts a new session from the current snapshot (after every exec that arrived before) and
   * returns it. The two go their own ways: neither sees what the other does next.
   *
   * @throws RefusedException the session is closed or has ended
   */
  public SessionHandle fork() {
    return new SessionHandle(context, update(() -> stub().fork()));
  }

  /**
   * Refuses further execs, waits for those already accepted and returns the final state. The
   * snapshot is kept: a new session can go on from {@link SessionState#snapshotId()}.
   *
   * @throws RefusedException the session has already ended
   */
  public SessionState close() {
    return update(() -> stub().close());
  }

  /**
   * The session as it stands: from the state query while it runs (a worker must poll), from its
   * result once it has ended.
   *
   * @throws NotFoundException no such session, or the id names a task
   * @throws NoWorkerException the session runs but no worker answered the query
   */
  public SessionState state() {
    WorkflowStub stub = context.client().newUntypedWorkflowStub(id);
    WorkflowExecutionDescription d = TemporalErrors.call("session", id, context, stub::describe);
    if (!d.getWorkflowType().equals(WORKFLOW_TYPE)) {
      throw new NotFoundException(
          "'"
              + id
              + "' is a "
              + d.getWorkflowType()
              + ", not a session"
              + (d.getWorkflowType().equals(TaskHandle.WORKFLOW_TYPE)
                  ? ": stepbox status " + id
                  : ""),
          null);
    }
    if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return TemporalErrors.call("session", id, context, () -> stub.getResult(SessionState.class));
    }
    try {
      return Deadlines.within(
          TemporalConnection.QUERY_TIMEOUT, () -> stub.query("state", SessionState.class));
    } catch (RuntimeException e) {
      throw TemporalErrors.translateQuery(e, "session", id, context);
    }
  }

  /**
   * The full {@code kind} output of {@code result}, an exec of this session, from the blob store.
   * The caller closes the stream.
   *
   * @throws NotFoundException the output is not in the client's blob store
   */
  public InputStream openOutput(ExecResult result, OutputKind kind) {
    String ref = kind == OutputKind.STDERR ? result.step().stderrRef() : result.step().stdoutRef();
    return context.outputs().open(ref, "the output of " + exec(result));
  }

  /**
   * The egress log of {@code result}, an exec of this session, as the worker stored it: JSON lines
   * of {@link EgressRecord}. An empty stream when the session has no egress or the exec made no
   * request. The caller closes the stream.
   *
   * @throws NotFoundException the log is not in the client's blob store
   */
  public InputStream openEgressLog(ExecResult result) {
    return EgressLogs.open(context.outputs(), result.step().egress(), exec(result));
  }

  /**
   * Every request the egress proxy allowed or denied for {@code result}, in order; empty when the
   * session has no egress or the exec made no request.
   *
   * @throws NotFoundException the log is not in the client's blob store
   * @throws StepboxClientException a line of the log is not an egress record
   */
  public List<EgressRecord> egress(ExecResult result) {
    return EgressLogs.read(openEgressLog(result), exec(result));
  }

  private String exec(ExecResult result) {
    return "exec " + result.stepId() + " of session " + id;
  }

  private SessionWorkflow stub() {
    return context.client().newWorkflowStub(SessionWorkflow.class, id);
  }

  /** Runs an update; when the session has ended, says so and how to go on from its snapshot. */
  private <T> T update(Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      if (TemporalErrors.notFound(e)) {
        SessionState s = state();
        String reason = "session " + id + " has ended (" + s.endReason() + ")";
        throw new RefusedException(
            reason
                + (s.snapshotId() == null
                    ? ""
                    : "; go on from its snapshot: stepbox session start --from-snapshot "
                        + s.snapshotId()),
            reason,
            e);
      }
      throw TemporalErrors.translate(e, "session", id, context);
    }
  }

  @Override
  public String toString() {
    return "session " + id;
  }
}
