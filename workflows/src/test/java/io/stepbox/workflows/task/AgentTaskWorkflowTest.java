package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.MountSpec;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentTaskWorkflowTest {
  private final TestStack stack = TestStack.start(new FakeWorld());

  @AfterEach
  void stop() {
    stack.close();
  }

  private TaskStatus run(StepSpec... steps) {
    return stack.task("task-1").run(TaskInput.of(task(steps)));
  }

  @Test
  void runsStepsInOrderEachFromThePreviousSnapshotThenExports() {
    TaskStatus status = run(step("clone", "git clone"), step("test", "pytest"));

    List<FakeWorld.Run> runs = stack.world.runs();
    assertThat(runs).extracting(r -> r.request().stepId()).containsExactly("clone", "test");
    assertThat(runs.get(0).request().baseSnapshotId()).isNull();
    assertThat(runs.get(1).request().baseSnapshotId()).isEqualTo(runs.get(0).result().snapshotId());
    StepRequest first = runs.get(0).request();
    assertThat(first.taskId()).isEqualTo("task-1");
    assertThat(first.approach()).isEqualTo("default");
    assertThat(first.image()).isEqualTo("stepbox/python:bookworm");
    assertThat(first.env()).containsEntry("PIP_NO_INDEX", "1");
    assertThat(first.secretNames()).containsExactly("GITHUB_TOKEN");
    assertThat(first.mounts()).containsExactly(new MountSpec("/host/repo.git", "/src/repo.git"));
    assertThat(first.network()).isEqualTo(TaskSpec.NO_NETWORK);
    assertThat(first.limits().timeoutMillis()).isEqualTo(600_000);

    assertThat(status.status()).isEqualTo(TaskState.COMPLETED);
    assertThat(status.currentStep()).isNull();
    assertThat(status.steps())
        .extracting(StepStatus::status)
        .containsExactly(StepState.SUCCEEDED, StepState.SUCCEEDED);
    assertThat(stack.world.exports())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.snapshotId()).isEqualTo(runs.get(1).result().snapshotId());
              assertThat(e.paths()).containsExactly("/workspace/out");
            });
    assertThat(status.exportsRef()).isEqualTo("exports/task-1.tar");
    assertThat(status.stdoutRef("test")).contains(runs.get(1).result().stdoutRef());
  }

  @Test
  void triesApproachesInOrderFromTheSameBaseUntilOneSucceeds() {
    TaskStatus status =
        run(
            step("clone", "git clone"),
            step("test", "pytest; exit 1", "retry=pytest again; exit 2", "fix=apply fix"),
            step("publish", "format-patch"));

    List<FakeWorld.Run> runs = stack.world.runs();
    String cloneSnapshot = runs.get(0).result().snapshotId();
    List<FakeWorld.Run> test =
        runs.stream().filter(r -> r.request().stepId().equals("test")).toList();
    assertThat(test)
        .extracting(r -> r.request().approach())
        .containsExactly("default", "retry", "fix");
    assertThat(test)
        .allSatisfy(r -> assertThat(r.request().baseSnapshotId()).isEqualTo(cloneSnapshot));
    assertThat(runs.get(4).request().baseSnapshotId()).isEqualTo(test.get(2).result().snapshotId());

    StepStatus testStatus = status.findStep("test").orElseThrow();
    assertThat(testStatus.status()).isEqualTo(StepState.SUCCEEDED);
    assertThat(testStatus.approach()).isEqualTo("fix");
    assertThat(testStatus.exitCode()).isZero();
    assertThat(testStatus.snapshot()).isEqualTo(test.get(2).result().snapshotId());
    assertThat(testStatus.attempts())
        .extracting(AttemptStatus::approach, AttemptStatus::exitCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("default", 1),
            org.assertj.core.groups.Tuple.tuple("retry", 2),
            org.assertj.core.groups.Tuple.tuple("fix", 0));
    assertThat(status.stdoutRef("test")).contains(test.get(2).result().stdoutRef());
    assertThat(status.status()).isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void whenEveryApproachFailsTheTaskFailsReportingEachAndKeepingTheirSnapshots() {
    TaskStatus status =
        run(
            step("clone", "git clone"),
            step("test", "pytest; exit 1", "fix=apply; oom", "other=slow"),
            step("publish", "format-patch"));

    assertThat(status.status()).isEqualTo(TaskState.FAILED);
    assertThat(status.currentStep()).isEqualTo("test");
    StepStatus test = status.findStep("test").orElseThrow();
    assertThat(test.status()).isEqualTo(StepState.FAILED);
    assertThat(test.attempts())
        .extracting(AttemptStatus::approach, AttemptStatus::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("default", "EXITED"),
            org.assertj.core.groups.Tuple.tuple("fix", "OOM_KILLED"),
            org.assertj.core.groups.Tuple.tuple("other", "TIMED_OUT"));
    assertThat(test.attempts()).allSatisfy(a -> assertThat(a.snapshot()).startsWith("snap-"));
    assertThat(status.error())
        .contains("every approach")
        .contains("default: exit 1")
        .contains("fix: oom killed")
        .contains("other: timed out");
    assertThat(status.findStep("publish").orElseThrow().status()).isEqualTo(StepState.SKIPPED);
    assertThat(stack.world.runs()).hasSize(4);
    assertThat(stack.world.exports()).isEmpty();
  }

  @Test
  void aNonZeroExitIsAResultAndAnInvalidStepIsNotRetried() {
    TaskStatus status = run(step("a", "exit 3"));
    assertThat(stack.world.runs()).hasSize(1);
    assertThat(status.findStep("a").orElseThrow().exitCode()).isEqualTo(3);

    TaskStatus invalid = stack.task("task-2").run(TaskInput.of(task(step("a", "invalid"))));
    assertThat(stack.world.runs()).hasSize(2);
    assertThat(invalid.status()).isEqualTo(TaskState.FAILED);
    assertThat(invalid.error()).contains("InvalidStep: command: invalid");
    assertThat(invalid.findStep("a").orElseThrow().attempts())
        .singleElement()
        .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptStatus.ERROR));
  }

  @Test
  void stepActivitiesHaveTheStepTimeoutPlusAMarginAHeartbeatAndBoundedRetries() {
    run(
        new StepSpec(
            "a",
            "true",
            List.of(),
            null,
            new LimitsSpec(null, null, null, "30m", null, null),
            null,
            null));

    ActivityTaskScheduledEventAttributes scheduled =
        stack.client.fetchHistory("task-1").getEvents().stream()
            .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
            .findFirst()
            .orElseThrow()
            .getActivityTaskScheduledEventAttributes();
    assertThat(scheduled.getActivityType().getName()).isEqualTo("RunStep");
    assertThat(scheduled.getTaskQueue().getName()).isEqualTo(TaskQueues.SHARED);
    assertThat(scheduled.getStartToCloseTimeout().getSeconds()).isEqualTo(35 * 60);
    assertThat(scheduled.getHeartbeatTimeout().getSeconds()).isEqualTo(10);
    RetryPolicy retry = scheduled.getRetryPolicy();
    assertThat(retry.getInitialInterval().getSeconds()).isEqualTo(1);
    assertThat(retry.getBackoffCoefficient()).isEqualTo(2.0);
    assertThat(retry.getMaximumInterval().getSeconds()).isEqualTo(30);
    assertThat(retry.getMaximumAttempts()).isEqualTo(5);
    assertThat(retry.getNonRetryableErrorTypesList()).containsExactly("InvalidStep");
  }

  @Test
  void anInvalidSpecFailsBeforeAnythingRuns() {
    TaskStatus status = run(step("Bad Id", ""));

    assertThat(status.status()).isEqualTo(TaskState.FAILED);
    assertThat(status.error())
        .contains("steps[0].id: \"Bad Id\" is not a valid id")
        .contains("steps[0].run: must not be empty");
    assertThat(stack.world.runs()).isEmpty();
  }
}
