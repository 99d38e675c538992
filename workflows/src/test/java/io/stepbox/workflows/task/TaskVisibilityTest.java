package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.gated;
import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The search attributes and memo a task keeps current, as visibility sees them. */
class TaskVisibilityTest {
  private final TestStack stack = TestStack.start(new FakeWorld());
  private final AgentTaskWorkflow task = stack.task("task-1");

  @AfterEach
  void stop() {
    stack.close();
  }

  private WorkflowExecutionDescription describe() {
    return WorkflowStub.fromTyped(task).describe();
  }

  @Test
  void aGatedTaskShowsItsWaitThenItsEnd() {
    StepSpec publish =
        new StepSpec(
            "publish",
            "git push",
            List.of(new ApproachSpec("force", "git push -f")),
            gated("publish", "git push", null, null).approval(),
            null,
            null,
            null);
    WorkflowClient.start(task::run, TaskInput.of(task(step("build", "make"), publish)));
    stack.env.sleep(Duration.ofMinutes(1));

    WorkflowExecutionDescription waiting = describe();
    SearchAttributes sa = waiting.getTypedSearchAttributes();
    assertThat(sa.get(TaskSearchAttributes.TASK_NAME)).isEqualTo("test-task");
    assertThat(sa.get(TaskSearchAttributes.STATUS)).isEqualTo("WAITING_APPROVAL");
    assertThat(sa.get(TaskSearchAttributes.STEP)).isEqualTo("publish");
    assertThat(sa.get(TaskSearchAttributes.WAITING_APPROVAL)).isTrue();
    assertThat(waiting.getMemo(TaskMemo.SPEC, TaskMemo.Spec.class))
        .isEqualTo(new TaskMemo.Spec("test-task", List.of("build", "publish")));
    assertThat(waiting.getMemo(TaskMemo.GATE, TaskMemo.Gate.class))
        .isEqualTo(
            new TaskMemo.Gate(
                "publish",
                "stepbox/python:bookworm",
                List.of(
                    new TaskMemo.Command("default", "git push"),
                    new TaskMemo.Command("force", "git push -f"))));

    task.decide(Decision.approve("publish", "alice", "ok"));
    WorkflowStub.fromTyped(task).getResult(TaskStatus.class);
    SearchAttributes done = describe().getTypedSearchAttributes();
    assertThat(done.get(TaskSearchAttributes.STATUS)).isEqualTo("COMPLETED");
    assertThat(done.get(TaskSearchAttributes.WAITING_APPROVAL)).isFalse();
    assertThat(done.containsKey(TaskSearchAttributes.STEP)).as("no current step").isFalse();
  }

  @Test
  void aFailedTaskKeepsTheStepThatEndedIt() {
    task.run(TaskInput.of(task(step("build", "make"), step("test", "exit 1"))));

    SearchAttributes sa = describe().getTypedSearchAttributes();
    assertThat(sa.get(TaskSearchAttributes.STATUS)).isEqualTo("FAILED");
    assertThat(sa.get(TaskSearchAttributes.STEP)).isEqualTo("test");
  }

  @Test
  void anEgressApprovalNamesTheHostsItWouldAdd() {
    StepStatus fetch =
        new StepStatus(
            "fetch",
            StepState.WAITING_APPROVAL,
            "default",
            1,
            List.of(),
            null,
            0,
            null,
            ApprovalStatus.egress(List.of("pypi.org", "git.example.com:8443"), 5));
    assertThat(fetch.egressHostsAwaitingApproval())
        .containsExactly("pypi.org", "git.example.com:8443");

    StepStatus decided =
        new StepStatus(
            "fetch",
            StepState.RUNNING,
            "default",
            1,
            List.of(),
            null,
            0,
            null,
            fetch.egressApproval().decided("approve", "alice", "ok", 9));
    assertThat(decided.egressHostsAwaitingApproval()).as("decided: waits for nothing").isEmpty();
    assertThat(StepStatus.pending("fetch", null).egressHostsAwaitingApproval()).isEmpty();
  }

  @Test
  void aGateMemoWrittenBeforeHostsReadsWithNone() throws Exception {
    TaskMemo.Gate old =
        new ObjectMapper()
            .readValue(
                "{\"step\":\"publish\",\"image\":\"img\",\"commands\":[]}",
                TaskMemo.Gate.class);
    assertThat(old.hosts()).isEmpty();
    assertThat(new TaskMemo.Gate("publish", "img", List.of(), List.of("pypi.org")).hosts())
        .containsExactly("pypi.org");
  }

  @Test
  void definitionsNameEveryAttributeWithItsType() {
    assertThat(TaskSearchAttributes.DEFINITIONS)
        .containsOnlyKeys(
            "StepboxTaskName", "StepboxStatus", "StepboxStep", "StepboxWaitingApproval");
  }
}
