package io.stepbox.client;

import io.stepbox.connect.TemporalConnection;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A durable task (an {@code AgentTaskWorkflow} whose workflow id is {@link #id()}): its status, its
 * result, decisions on its approval gates, and the full output and egress log of its steps. A handle is cheap and
 * holds no state of its own; every call asks Temporal. Safe to share between threads.
 */
public final class TaskHandle {
  /** The Temporal workflow type of a task. */
  public static final String WORKFLOW_TYPE = "AgentTaskWorkflow";

  private static final String STATUS_QUERY = "status";
  private static final Duration POLL = Duration.ofMillis(500);

  private final ClientContext context;
  private final String id;

  TaskHandle(ClientContext context, String id) {
    this.context = context;
    this.id = id;
  }

  /** The task id (its workflow id). */
  public String id() {
    return id;
  }

  /**
   * The task as it stands. A running task answers the status query (a worker must poll); a
   * completed one is read from its result, which needs no worker; one that ended otherwise
   * (terminated, timed out) answers the query if a worker replays it, else a bare FAILED status.
   *
   * @throws NotFoundException no such task, or the id names a session
   * @throws NoWorkerException the task runs but no worker answered the query
   */
  public TaskStatus status() {
    WorkflowStub stub = context.client().newUntypedWorkflowStub(id);
    WorkflowExecutionDescription d = TemporalErrors.call("task", id, context, stub::describe);
    if (!d.getWorkflowType().equals(WORKFLOW_TYPE)) {
      throw new NotFoundException(
          "'" + id + "' is a " + d.getWorkflowType() + ", not a task" + hint(d.getWorkflowType()),
          null);
    }
    WorkflowExecutionStatus s = d.getStatus();
    if (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return TemporalErrors.call("task", id, context, () -> stub.getResult(TaskStatus.class));
    }
    try {
      return Deadlines.within(
          TemporalConnection.QUERY_TIMEOUT, () -> stub.query(STATUS_QUERY, TaskStatus.class));
    } catch (WorkflowException e) {
      if (s != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return ended(d);
      }
      throw TemporalErrors.translateQuery(e, "task", id, context);
    } catch (RuntimeException e) {
      throw TemporalErrors.translateQuery(e, "task", id, context);
    }
  }

  private String hint(String type) {
    return type.equals(SessionHandle.WORKFLOW_TYPE) ? ": stepbox session status " + id : "";
  }

  private TaskStatus ended(WorkflowExecutionDescription d) {
    String what = d.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase();
    long start = d.getStartTime() == null ? 0 : d.getStartTime().toEpochMilli();
    long end = d.getCloseTime() == null ? 0 : d.getCloseTime().toEpochMilli();
    return new TaskStatus(
        id,
        null,
        TaskState.FAILED,
        null,
        List.of(),
        null,
        0,
        List.of(),
        "the task's workflow was " + what + " before it reported a status",
        start,
        end);
  }

  /**
   * Waits up to {@code max} for the task to end and returns its final status; empty while it runs
   * (also when the server asked us to come back later). Returns as soon as the task ends, so it
   * serves as the tick of a polling loop.
   */
  public Optional<TaskStatus> pollResult(Duration max) {
    WorkflowStub stub = context.client().newUntypedWorkflowStub(id);
    try {
      return Optional.of(stub.getResult(max.toMillis(), TimeUnit.MILLISECONDS, TaskStatus.class));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (WorkflowFailedException e) {
      return Optional.of(status());
    } catch (RuntimeException e) {
      if (TemporalErrors.transientBusy(e)) {
        return Optional.empty();
      }
      throw TemporalErrors.translate(e, "task", id, context);
    }
  }

  /**
   * Waits until the task ends and returns its final status: COMPLETED, FAILED or REJECTED.
   *
   * @throws AwaitTimeoutException when it has not ended within {@code timeout}; the task goes on
   */
  public TaskStatus awaitResult(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AwaitTimeoutException(id, "end", timeout);
      }
      Optional<TaskStatus> end = pollResult(Duration.ofNanos(left));
      if (end.isPresent()) {
        return end.get();
      }
    }
  }

  /**
   * Waits until a gated step waits for a decision ({@link TaskState#WAITING_APPROVAL}, with the
   * step in {@link TaskStatus#currentStep()}) or the task has ended, and returns that status.
   *
   * @throws AwaitTimeoutException when neither happened within {@code timeout}
   */
  public TaskStatus awaitApprovalRequest(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      TaskStatus now = status();
      if (now.ended() || now.status() == TaskState.WAITING_APPROVAL) {
        return now;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AwaitTimeoutException(id, "wait for a decision", timeout);
      }
      Optional<TaskStatus> end = pollResult(Duration.ofNanos(Math.min(left, POLL.toNanos())));
      if (end.isPresent()) {
        return end.get();
      }
    }
  }

  /**
   * Approves gated step {@code step}, which must be waiting; the decision, {@code by} and {@code
   * reason} go into the task's history. Returns the status once the task has acted on it.
   *
   * @throws RefusedException an unknown step, a step without a gate, one not waiting yet or already
   *     decided, or a task that has ended; {@link RefusedException#reason()} says which
   */
  public TaskStatus approve(String step, String reason, String by) {
    return decide(Decision.approve(step, by, reason));
  }

  /**
   * Rejects gated step {@code step}, which ends the task as REJECTED; otherwise as {@link
   * #approve}.
   */
  public TaskStatus reject(String step, String reason, String by) {
    return decide(Decision.reject(step, by, reason));
  }

  private TaskStatus decide(Decision decision) {
    AgentTaskWorkflow task = context.client().newWorkflowStub(AgentTaskWorkflow.class, id);
    try {
      return task.decide(decision);
    } catch (RuntimeException e) {
      if (TemporalErrors.notFound(e)) {
        TaskStatus s = status();
        String reason = "task " + id + " has ended: " + s.status() + "; nothing to decide";
        throw new RefusedException(reason, reason, e);
      }
      throw TemporalErrors.translate(e, "task", id, context);
    }
  }

  /**
   * The full {@code kind} output of step {@code stepId} from the blob store, of the attempt that
   * decided the step, or with {@code approach} (null for the deciding one) of the last attempt of
   * that approach ("default": the step's own run). The caller closes the stream.
   *
   * @throws NotFoundException no such step or approach, the step has not run, or the output is not
   *     in the client's blob store
   */
  public InputStream openOutput(String stepId, String approach, OutputKind kind) {
    AttemptStatus attempt = Attempts.pick(status(), stepId, approach);
    return context.outputs().open(Attempts.ref(attempt, stepId, kind), "the output of step " + stepId);
  }

  /** {@link #openOutput} of the deciding attempt, read whole as UTF-8 text. */
  public String output(String stepId, OutputKind kind) {
    try (InputStream in = openOutput(stepId, null, kind)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of step " + stepId, e);
    }
  }

  /**
   * The egress log of step {@code stepId} as the worker stored it: JSON lines of {@link
   * EgressRecord}, one per request through the egress proxy. The attempt is picked as by {@link
   * #openOutput}. An empty stream when that attempt had no egress or made no request. The caller
   * closes the stream.
   *
   * @throws NotFoundException no such step or approach, the step has not run, or the log is not in
   *     the client's blob store
   */
  public InputStream openEgressLog(String stepId, String approach) {
    AttemptStatus attempt = Attempts.pick(status(), stepId, approach);
    return EgressLogs.open(context.outputs(), attempt.egress(), "step " + stepId);
  }

  /**
   * Every request the egress proxy allowed or denied for step {@code stepId}, in order: {@link
   * #openEgressLog} read whole. Empty when the attempt had no egress or made no request. Records
   * hold the names of secrets the proxy added, never their values.
   *
   * @throws NotFoundException as {@link #openEgressLog}
   * @throws StepboxClientException a line of the log is not an egress record
   */
  public List<EgressRecord> egress(String stepId, String approach) {
    return EgressLogs.read(openEgressLog(stepId, approach), "step " + stepId);
  }

  /** {@link #egress(String, String)} of the attempt that decided the step. */
  public List<EgressRecord> egress(String stepId) {
    return egress(stepId, null);
  }

  @Override
  public String toString() {
    return "task " + id;
  }
}
