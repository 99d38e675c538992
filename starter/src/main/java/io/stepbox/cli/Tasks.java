package io.stepbox.cli;

import io.stepbox.local.TemporalConnection;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskMemo;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Agent tasks on Temporal for the command line: start, status, decide, wait; errors translated. */
final class Tasks implements AutoCloseable {
  static final String WORKFLOW_TYPE = "AgentTaskWorkflow";
  private static final String STATUS_QUERY = "status";

  private final TemporalConnection temporal;

  Tasks(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  static Tasks connect(StepboxConfig config) {
    return new Tasks(
        TemporalConnection.connect(config.temporalAddress(), config.temporalNamespace()));
  }

  /** Starts {@code spec} as task {@code id} on the shared task queue. */
  void start(TaskSpec spec, String id) {
    AgentTaskWorkflow task = client().newWorkflowStub(AgentTaskWorkflow.class, options(id, spec));
    call(id, () -> WorkflowClient.start(task::run, TaskInput.of(spec)));
  }

  /**
   * How a task of {@code spec} starts as workflow {@code id}: on the shared queue, findable at once
   * by its name and status (search attributes) and with its memo.
   */
  static WorkflowOptions options(String id, TaskSpec spec) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.SHARED)
        .setWorkflowId(id)
        .setTypedSearchAttributes(TaskSearchAttributes.atStart(spec.name()))
        .setMemo(TaskMemo.of(spec))
        .build();
  }

  /**
   * The task as it stands. A running task answers the status query (a worker must poll); a
   * completed one is read from its result, which needs no worker; one that ended otherwise
   * (terminated, timed out) answers the query if a worker replays it, else a bare FAILED status.
   */
  TaskStatus status(String id) {
    WorkflowStub stub = client().newUntypedWorkflowStub(id);
    WorkflowExecutionDescription d = call(id, stub::describe);
    if (!d.getWorkflowType().equals(WORKFLOW_TYPE)) {
      throw new CommandException(
          TaskExit.FAILED,
          "'"
              + id
              + "' is a "
              + d.getWorkflowType()
              + ", not a task"
              + hint(d.getWorkflowType(), id),
          null);
    }
    WorkflowExecutionStatus s = d.getStatus();
    if (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return call(id, () -> stub.getResult(TaskStatus.class));
    }
    if (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        return Deadlines.within(
            TemporalConnection.QUERY_TIMEOUT, () -> stub.query(STATUS_QUERY, TaskStatus.class));
      } catch (RuntimeException e) {
        throw TemporalErrors.translateQuery(e, "task", id, temporal);
      }
    }
    try {
      return Deadlines.within(
          TemporalConnection.QUERY_TIMEOUT, () -> stub.query(STATUS_QUERY, TaskStatus.class));
    } catch (WorkflowException e) {
      return ended(id, d);
    }
  }

  private static String hint(String type, String id) {
    return type.equals("SessionWorkflow") ? ": stepbox session status " + id : "";
  }

  private static TaskStatus ended(String id, WorkflowExecutionDescription d) {
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
   * Waits up to {@code max} for the task to end and returns its final status; empty while it runs.
   * Returns as soon as the workflow closes, so it serves as the tick of a polling loop.
   */
  Optional<TaskStatus> awaitEnd(String id, Duration max) {
    WorkflowStub stub = client().newUntypedWorkflowStub(id);
    try {
      return Optional.of(stub.getResult(max.toMillis(), TimeUnit.MILLISECONDS, TaskStatus.class));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (WorkflowFailedException e) {
      return Optional.of(status(id));
    } catch (RuntimeException e) {
      if (TemporalErrors.transientBusy(e)) {
        return Optional.empty();
      }
      throw TemporalErrors.translate(e, "task", id, temporal);
    }
  }

  /** Sends {@code decision} and returns the status once the task has acted on it. */
  TaskStatus decide(String id, Decision decision) {
    AgentTaskWorkflow task = client().newWorkflowStub(AgentTaskWorkflow.class, id);
    try {
      return task.decide(decision);
    } catch (RuntimeException e) {
      if (TemporalErrors.notFound(e)) {
        TaskStatus s = status(id);
        throw new CommandException(
            TaskExit.FAILED, "task " + id + " has ended: " + s.status() + "; nothing to decide", e);
      }
      throw TemporalErrors.translate(e, "task", id, temporal);
    }
  }

  TemporalConnection temporal() {
    return temporal;
  }

  private WorkflowClient client() {
    return temporal.client();
  }

  private <T> T call(String id, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw TemporalErrors.translate(e, "task", id, temporal);
    }
  }

  @Override
  public void close() {
    temporal.close();
  }
}
