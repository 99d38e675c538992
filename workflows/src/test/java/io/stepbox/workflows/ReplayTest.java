package io.stepbox.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.session.SessionWorkflowImpl;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AgentTaskWorkflowImpl;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskStatus;
import io.stepbox.workflows.testkit.HistoryRecorder;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against today's workflow code: a change that would break running
 * workflows (a reordered, added or removed activity, timer or child) fails here. The histories come
 * from {@link HistoryRecorder}; see {@code RecordHistoriesTest} to regenerate them.
 */
class ReplayTest {

  /** A recorded history, under the workflow id it was recorded with (fork ids derive from it). */
  private static WorkflowExecutionHistory history(String name, String workflowId)
      throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name)) {
      assertThat(in).as("history resource %s", name).isNotNull();
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    }
  }

  @Test
  void taskHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history(HistoryRecorder.TASK, HistoryRecorder.TASK_ID), AgentTaskWorkflowImpl.class);
  }

  @Test
  void taskHistoryFromBeforeSearchAttributesReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history(HistoryRecorder.TASK_BEFORE_SEARCH_ATTRIBUTES, HistoryRecorder.TASK_ID),
        AgentTaskWorkflowImpl.class);
  }

  @Test
  void sessionHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history(HistoryRecorder.SESSION, HistoryRecorder.SESSION_ID), SessionWorkflowImpl.class);
  }

  @Test
  void aWorkflowThatSkipsItsStepsDoesNotReplay() throws Exception {
    WorkflowExecutionHistory task = history(HistoryRecorder.TASK, HistoryRecorder.TASK_ID);
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(task, NoStepsWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getName());
  }

  /** A changed implementation: it ends at once instead of running the steps. */
  public static class NoStepsWorkflow implements AgentTaskWorkflow {
    @Override
    public TaskStatus run(TaskInput input) {
      return null;
    }

    @Override
    public TaskStatus decide(Decision decision) {
      return null;
    }

    @Override
    public void validateDecide(Decision decision) {}

    @Override
    public TaskStatus status() {
      return null;
    }
  }
}
