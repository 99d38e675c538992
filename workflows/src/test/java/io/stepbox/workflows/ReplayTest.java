package io.stepbox.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.session.SessionWorkflowImpl;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AgentTaskWorkflowImpl;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskStatus;
import io.stepbox.workflows.testkit.HistoryRecorder;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against today's workflow code: a change that would break running
 * workflows (a reordered, added or removed activity, timer or child) fails here. The histories come
 * from {@link HistoryRecorder}; see {@code RecordHistoriesTest} to regenerate them.
 */
class ReplayTest {
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

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
  void egressTaskHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history(HistoryRecorder.EGRESS_TASK, HistoryRecorder.EGRESS_TASK_ID),
        AgentTaskWorkflowImpl.class);
  }

  @Test
  void sessionHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history(HistoryRecorder.SESSION, HistoryRecorder.SESSION_ID), SessionWorkflowImpl.class);
  }

  /**
   * {@link StepResult#outcome} was a string and {@code warm} did not exist when these histories were
   * recorded: their results read as the enum, not warm, and write back the same outcome text.
   */
  @Test
  void stepResultsRecordedAsStringsReadAsTheEnum() throws Exception {
    List<StepResult> results = new ArrayList<>();
    for (HistoryEvent e : history(HistoryRecorder.TASK, HistoryRecorder.TASK_ID).getEvents()) {
      if (e.hasActivityTaskCompletedEventAttributes()) {
        Payloads p = e.getActivityTaskCompletedEventAttributes().getResult();
        if (p.getPayloads(0).getData().toStringUtf8().contains("\"outcome\"")) {
          results.add(CONVERTER.fromPayloads(0, Optional.of(p), StepResult.class, StepResult.class));
        }
      }
    }
    assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r.warm()).isFalse());
    assertThat(results).extracting(StepResult::outcome).contains(ExecOutcome.EXITED);
    String written =
        CONVERTER.toPayload(results.get(0)).orElseThrow().getData().toStringUtf8();
    assertThat(written).contains("\"outcome\":\"EXITED\"").contains("\"warm\":false");
  }

  /** Task inputs recorded before egress: a network name and secret names, no overrides. */
  @Test
  void taskInputsRecordedBeforeEgressReadAsANamedNetworkAndEnvSecrets() throws Exception {
    HistoryEvent start =
        history(HistoryRecorder.TASK, HistoryRecorder.TASK_ID).getEvents().get(0);
    Payloads p = start.getWorkflowExecutionStartedEventAttributes().getInput();
    TaskSpec spec =
        CONVERTER.fromPayloads(0, Optional.of(p), TaskInput.class, TaskInput.class).spec();

    assertThat(spec.network()).isEqualTo(NetworkSpec.NONE);
    assertThat(spec.envSecrets()).containsExactly("GITHUB_TOKEN");
    assertThat(spec.egressSecrets()).isEmpty();
    assertThat(spec.steps()).isNotEmpty().allSatisfy(s -> assertThat(s.network()).isNull());
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
