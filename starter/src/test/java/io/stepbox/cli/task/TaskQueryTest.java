package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.cli.UsageException;
import io.stepbox.workflows.task.TaskState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import org.junit.jupiter.api.Test;

class TaskQueryTest {

  @Test
  void filtersByTypeStatusAndName() {
    assertThat(TaskQuery.tasks(null, null)).isEqualTo("WorkflowType = 'AgentTaskWorkflow'");
    assertThat(TaskQuery.tasks(TaskState.COMPLETED, "fix-calc"))
        .isEqualTo(
            "WorkflowType = 'AgentTaskWorkflow' AND StepboxStatus = 'COMPLETED'"
                + " AND ExecutionStatus = 'Completed' AND StepboxTaskName = 'fix-calc'");
    assertThat(TaskQuery.tasks(TaskState.WAITING_APPROVAL, null))
        .endsWith("StepboxStatus = 'WAITING_APPROVAL' AND ExecutionStatus = 'Running'");
    assertThat(TaskQuery.tasks(TaskState.FAILED, null))
        .endsWith(
            "(StepboxStatus = 'FAILED' OR ExecutionStatus IN"
                + " ('Failed', 'Terminated', 'TimedOut', 'Canceled'))");
  }

  @Test
  void valuesAreQuotedSoANameCannotChangeTheQuery() {
    assertThat(TaskQuery.literal("it's")).isEqualTo("'it\\'s'");
    assertThat(TaskQuery.literal("a\\' OR 'x' = 'x")).isEqualTo("'a\\\\\\' OR \\'x\\' = \\'x'");
    assertThat(TaskQuery.tasks(null, "x' OR StepboxStatus = 'RUNNING"))
        .endsWith("StepboxTaskName = 'x\\' OR StepboxStatus = \\'RUNNING'");
  }

  @Test
  void pendingApprovalsAreRunningTasksWaitingForADecision() {
    assertThat(TaskQuery.waitingApproval())
        .isEqualTo(
            "WorkflowType = 'AgentTaskWorkflow' AND StepboxWaitingApproval = true"
                + " AND ExecutionStatus = 'Running'");
  }

  @Test
  void statusNamesAreCheckedWithAClearError() {
    assertThat(TaskQuery.state("waiting_approval")).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThatThrownBy(() -> TaskQuery.state("DONE"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--status: 'DONE' is not a task status; use one of RUNNING, WAITING_APPROVAL,"
                + " COMPLETED, FAILED, REJECTED");
  }

  @Test
  void aRowsStatusIsWhatTheTaskPublishedUnlessItsWorkflowEndedWithoutIt() {
    assertThat(TaskRow.status(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, null))
        .isEqualTo("RUNNING");
    assertThat(
            TaskRow.status(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, "WAITING_APPROVAL"))
        .isEqualTo("WAITING_APPROVAL");
    assertThat(
            TaskRow.status(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, "REJECTED"))
        .isEqualTo("REJECTED");
    assertThat(
            TaskRow.status(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, "RUNNING"))
        .isEqualTo("FAILED");
  }
}
