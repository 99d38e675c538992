package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Warm reuse: steps go to the worker that holds the previous step's sandbox, if it is there. */
class WarmRoutingTest {
  private TestStack stack;

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  void nextStepRunsOnTheWarmWorkerWithItsSandbox() {
    stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a");

    TaskStatus status =
        stack
            .task("t")
            .run(TaskInput.of(task(step("a", "one"), step("b", "two"), step("c", "three"))));

    List<FakeWorld.Run> runs = stack.world.runs();
    assertThat(runs)
        .extracting(FakeWorld.Run::queue)
        .containsExactly(TaskQueues.SHARED, "worker-a", "worker-a");
    assertThat(runs).extracting(r -> r.request().keepWarm()).containsExactly(true, true, false);
    assertThat(runs.get(1).request().warmSandboxId())
        .isEqualTo(runs.get(0).result().warmSandboxId());
    assertThat(runs.get(2).request().warmSandboxId())
        .isEqualTo(runs.get(1).result().warmSandboxId());
    assertThat(status.steps())
        .extracting(s -> s.attempts().get(0).warm())
        .containsExactly(false, true, true);
    assertThat(stack.world.held()).isEmpty();
    assertThat(stack.world.releases()).isEmpty();
  }

  @Test
  void whenTheWarmWorkerIsGoneTheStepRunsOnTheSharedQueueFromTheSnapshot() {
    stack = TestStack.start(new FakeWorld().warmOn("worker-gone"));

    TaskStatus status = stack.task("t").run(TaskInput.of(task(step("a", "one"), step("b", "two"))));

    List<FakeWorld.Run> runs = stack.world.runs();
    assertThat(status.status()).isEqualTo(TaskState.COMPLETED);
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).queue()).isEqualTo(TaskQueues.SHARED);
    assertThat(runs.get(1).request().warmSandboxId()).isNull();
    assertThat(runs.get(1).request().baseSnapshotId()).isEqualTo(runs.get(0).result().snapshotId());
    assertThat(status.findStep("b").orElseThrow().attempts().get(0).warm()).isFalse();
    List<HistoryEvent> events = stack.client.fetchHistory("t").getEvents();
    assertThat(events)
        .filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .extracting(e -> e.getActivityTaskScheduledEventAttributes().getTaskQueue().getName())
        .as("b was offered to the warm worker first")
        .containsExactly(TaskQueues.SHARED, "worker-gone", TaskQueues.SHARED, TaskQueues.SHARED);
    assertThat(events)
        .filteredOn(HistoryEvent::hasActivityTaskTimedOutEventAttributes)
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        e.getActivityTaskTimedOutEventAttributes()
                            .getFailure()
                            .getTimeoutFailureInfo()
                            .getTimeoutType())
                    .isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START));
  }

  @Test
  void aFinishedTaskReleasesTheSandboxStillHeld() {
    stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a");

    TaskStatus status =
        stack
            .task("t")
            .run(TaskInput.of(task(step("a", "one"), step("b", "exit 1"), step("c", "x"))));

    assertThat(status.status()).isEqualTo(TaskState.FAILED);
    String keptByB = stack.world.runs().get(1).result().warmSandboxId();
    assertThat(keptByB).isNotNull();
    assertThat(stack.world.releases()).containsExactly(new FakeWorld.Release("worker-a", keptByB));
    assertThat(stack.world.held()).isEmpty();
  }

  @Test
  void approachesStartColdFromThePreStepBaseAfterReleasingTheFailedSandbox() {
    stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a");

    TaskStatus status =
        stack
            .task("t")
            .run(
                TaskInput.of(
                    task(step("a", "one"), step("b", "exit 1", "fix=ok"), step("c", "x"))));

    List<FakeWorld.Run> runs = stack.world.runs();
    assertThat(status.status()).isEqualTo(TaskState.COMPLETED);
    assertThat(runs.get(1).queue()).isEqualTo("worker-a");
    assertThat(runs.get(2).queue()).isEqualTo(TaskQueues.SHARED);
    assertThat(runs.get(2).request().warmSandboxId()).isNull();
    assertThat(runs.get(2).request().baseSnapshotId()).isEqualTo(runs.get(0).result().snapshotId());
    assertThat(stack.world.releases())
        .containsExactly(new FakeWorld.Release("worker-a", runs.get(1).result().warmSandboxId()));
    assertThat(runs.get(3).request().warmSandboxId())
        .isEqualTo(runs.get(2).result().warmSandboxId());
    assertThat(stack.world.held()).isEmpty();
  }
}
