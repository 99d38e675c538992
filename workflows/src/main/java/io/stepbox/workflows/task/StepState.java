package io.stepbox.workflows.task;

/** Where a step is. SUCCEEDED, FAILED, REJECTED and SKIPPED are final. */
public enum StepState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  WAITING_APPROVAL,
  REJECTED,
  SKIPPED
}
