package io.stepbox.cli.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepbox.workflows.task.TaskMemo;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.stepbox.workflows.task.TaskState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.time.Instant;

/**
 * One task as a visibility listing shows it (no worker, no query): from its search attributes, memo
 * and execution info. Printed by {@code stepbox list}.
 *
 * @param id the task (workflow) id
 * @param name the spec's name; null when unknown
 * @param status the task state's name; FAILED for a workflow that ended before its task did
 * @param currentStep the step running or waiting, or that ended the task; null when none
 * @param startTime when the task started, ISO-8601
 * @param closeTime when it ended, ISO-8601; null while it runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TaskRow(
    String id, String name, String status, String currentStep, String startTime, String closeTime) {

  static TaskRow of(WorkflowExecutionMetadata m) {
    SearchAttributes sa = m.getTypedSearchAttributes();
    String name = sa.get(TaskSearchAttributes.TASK_NAME);
    if (name == null) {
      TaskMemo.Spec spec = m.getMemo(TaskMemo.SPEC, TaskMemo.Spec.class, TaskMemo.Spec.class);
      name = spec == null ? null : spec.name();
    }
    return new TaskRow(
        m.getExecution().getWorkflowId(),
        name,
        status(m.getStatus(), sa.get(TaskSearchAttributes.STATUS)),
        sa.get(TaskSearchAttributes.STEP),
        iso(m.getStartTime()),
        iso(m.getCloseTime()));
  }

  static String iso(Instant t) {
    return t == null ? null : t.toString();
  }

  /** The task's state: what it published, unless its workflow ended without it. */
  static String status(WorkflowExecutionStatus execution, String published) {
    return switch (execution) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING ->
          published == null ? TaskState.RUNNING.name() : published;
      case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW ->
          published == null ? "UNKNOWN" : published;
      default -> TaskState.FAILED.name();
    };
  }
}
