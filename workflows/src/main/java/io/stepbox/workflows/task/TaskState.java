package io.stepbox.workflows.task;

/** Where a task is. COMPLETED, FAILED and REJECTED are final. */
public enum TaskState {
  RUNNING,
  WAITING_APPROVAL,
  COMPLETED,
  FAILED,
  REJECTED
}
