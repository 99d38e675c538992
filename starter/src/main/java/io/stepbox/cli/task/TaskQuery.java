package io.stepbox.cli.task;

import io.stepbox.cli.UsageException;
import io.stepbox.client.TaskHandle;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.stepbox.workflows.task.TaskState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Visibility queries over tasks (Temporal's SQL-like list filter), built from command-line filters.
 * Values are quoted, so a task name cannot change the query's meaning.
 */
final class TaskQuery {
  /** Execution statuses of a workflow that ended before its task could report an end. */
  private static final String ENDED_ABNORMALLY =
      "ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut', 'Canceled')";

  private TaskQuery() {}

  /** Tasks waiting for an approval decision, across the namespace. */
  static String waitingApproval() {
    return "WorkflowType = "
        + literal(TaskHandle.WORKFLOW_TYPE)
        + " AND "
        + TaskSearchAttributes.WAITING_APPROVAL.getName()
        + " = true AND ExecutionStatus = 'Running'";
  }

  /**
   * Tasks in {@code status} (null: any) whose spec is named {@code name} (null: any). RUNNING and
   * WAITING_APPROVAL need a running workflow; FAILED includes workflows that were terminated, timed
   * out or failed before the task reported its end.
   */
  static String tasks(TaskState status, String name) {
    List<String> terms = new ArrayList<>();
    terms.add("WorkflowType = " + literal(TaskHandle.WORKFLOW_TYPE));
    if (status != null) {
      terms.add(statusTerm(status));
    }
    if (name != null) {
      terms.add(TaskSearchAttributes.TASK_NAME.getName() + " = " + literal(name));
    }
    return String.join(" AND ", terms);
  }

  private static String statusTerm(TaskState status) {
    String is = TaskSearchAttributes.STATUS.getName() + " = " + literal(status.name());
    return switch (status) {
      case RUNNING, WAITING_APPROVAL -> is + " AND ExecutionStatus = 'Running'";
      case FAILED -> "(" + is + " OR " + ENDED_ABNORMALLY + ")";
      default -> is + " AND ExecutionStatus = 'Completed'";
    };
  }

  /** {@code text} as a quoted string literal: backslashes and single quotes escaped. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The task state named {@code text} (any case), or a usage error listing the states. */
  static TaskState state(String text) {
    try {
      return TaskState.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--status: '"
              + text
              + "' is not a task status; use one of "
              + Arrays.stream(TaskState.values())
                  .map(Enum::name)
                  .collect(Collectors.joining(", ")));
    }
  }
}
