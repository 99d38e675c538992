package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.gated;
import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Approval gates. The test server skips time only while the workflow is idle, so after {@code
 * env.sleep} (virtual time, not a real sleep) a task that reached a gate is waiting at it.
 */
class ApprovalTest {
  private final TestStack stack = TestStack.start(new FakeWorld().warmOn("warm-1"), "warm-1");
  private final AgentTaskWorkflow task = stack.task("task-1");

  @AfterEach
  void stop() {
    stack.close();
  }

  private void start(StepSpec... steps) {
    WorkflowClient.start(task::run, TaskInput.of(task(steps)));
    stack.env.sleep(Duration.ofMinutes(1));
  }

  private TaskStatus result() {
    return WorkflowStub.fromTyped(task).getResult(TaskStatus.class);
  }

  private String refusal(Decision d) {
    WorkflowUpdateException e =
        catchThrowableOfType(WorkflowUpdateException.class, () -> task.decide(d));
    assertThat(e).as("decision %s should be refused", d).isNotNull();
    return ((ApplicationFailure) e.getCause()).getOriginalMessage();
  }

  @Test
  void waitsWithNothingRunningOrHeldThenRunsTheStepWhenApproved() {
    start(
        step("clone", "git clone"), step("test", "pytest"), gated("publish", "patch", "24h", null));

    TaskStatus waiting = task.status();
    assertThat(waiting.status()).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThat(waiting.currentStep()).isEqualTo("publish");
    assertThat(waiting.findStep("publish").orElseThrow().status())
        .isEqualTo(StepState.WAITING_APPROVAL);
    assertThat(stack.world.runs()).hasSize(2);
    assertThat(stack.world.inFlight()).isZero();
    assertThat(stack.world.held()).as("no sandbox held while waiting").isEmpty();
    assertThat(stack.world.runs().get(1).request().keepWarm())
        .as("the step before a gate is not kept warm")
        .isFalse();

    TaskStatus decided = task.decide(Decision.approve("publish", "alice", "looks good"));
    assertThat(decided.status()).isNotEqualTo(TaskState.WAITING_APPROVAL);

    TaskStatus done = result();
    assertThat(done.status()).isEqualTo(TaskState.COMPLETED);
    ApprovalStatus a = done.findStep("publish").orElseThrow().approval();
    assertThat(a.decision()).isEqualTo("approve");
    assertThat(a.by()).isEqualTo("alice");
    assertThat(a.reason()).isEqualTo("looks good");
    assertThat(a.decidedAtMillis()).isGreaterThanOrEqualTo(a.requestedAtMillis()).isPositive();
    assertThat(stack.world.runs()).hasSize(3);
    assertThat(stack.world.runs().get(2).request().baseSnapshotId())
        .isEqualTo(stack.world.runs().get(1).result().snapshotId());
  }

  @Test
  void rejectedEndsTheTaskWithoutRunningTheStep() {
    start(step("clone", "git clone"), gated("publish", "patch", "24h", null));

    task.decide(Decision.reject("publish", "bob", "not today"));
    TaskStatus done = result();

    assertThat(done.status()).isEqualTo(TaskState.REJECTED);
    assertThat(done.currentStep()).isEqualTo("publish");
    StepStatus publish = done.findStep("publish").orElseThrow();
    assertThat(publish.status()).isEqualTo(StepState.REJECTED);
    assertThat(publish.approval().by()).isEqualTo("bob");
    assertThat(stack.world.runs()).hasSize(1);
    assertThat(stack.world.exports()).isEmpty();
    assertThat(done.endedAtMillis()).isPositive();
  }

  @Test
  void noDecisionWithinTheTimeoutRejectsByDefault() {
    start(step("clone", "git clone"), gated("publish", "patch", "24h", null));

    TaskStatus done = result();

    assertThat(done.status()).isEqualTo(TaskState.REJECTED);
    ApprovalStatus a = done.findStep("publish").orElseThrow().approval();
    assertThat(a.decision()).isEqualTo("reject");
    assertThat(a.by()).isEqualTo(ApprovalStatus.TIMEOUT);
    assertThat(a.decidedAtMillis() - a.requestedAtMillis())
        .isBetween(Duration.ofHours(24).toMillis(), Duration.ofHours(24).plusMinutes(1).toMillis());
    assertThat(stack.world.runs()).hasSize(1);
  }

  @Test
  void onTimeoutApproveRunsTheStep() {
    start(step("clone", "git clone"), gated("publish", "patch", "2h", "approve"));

    TaskStatus done = result();

    assertThat(done.status()).isEqualTo(TaskState.COMPLETED);
    ApprovalStatus a = done.findStep("publish").orElseThrow().approval();
    assertThat(a.decision()).isEqualTo("approve");
    assertThat(a.by()).isEqualTo(ApprovalStatus.TIMEOUT);
    assertThat(stack.world.runs()).hasSize(2);
  }

  @Test
  void validatorRefusesBadDecisionsWithClearMessages() {
    start(
        step("clone", "git clone"),
        gated("review", "true", null, null),
        gated("publish", "patch", null, null));

    assertThat(refusal(Decision.approve("nope", "alice", null)))
        .isEqualTo("unknown step \"nope\"; the steps are clone, review, publish");
    assertThat(refusal(Decision.approve("clone", "alice", null)))
        .isEqualTo("step \"clone\" has no approval gate");
    assertThat(refusal(Decision.approve("publish", "alice", null)))
        .isEqualTo("step \"publish\" is not waiting for approval (it is PENDING)");
    assertThat(refusal(new Decision("review", "maybe", "alice", null)))
        .isEqualTo("decision must be \"approve\" or \"reject\", got \"maybe\"");
    assertThat(refusal(Decision.approve("review", " ", null))).isEqualTo("say who decides (by)");
    assertThat(task.status().status()).isEqualTo(TaskState.WAITING_APPROVAL);

    task.decide(Decision.approve("review", "alice", null));
    stack.env.sleep(Duration.ofMinutes(1));
    assertThat(task.status().currentStep()).isEqualTo("publish");
    assertThat(refusal(Decision.reject("review", "mallory", null)))
        .isEqualTo("step \"review\" was already decided: approve by alice");

    task.decide(Decision.reject("publish", "alice", "enough"));
    assertThat(result().status()).isEqualTo(TaskState.REJECTED);
    assertThat(stack.world.held()).isEmpty();
  }

  @Test
  void aSandboxKeptDespiteTheGateIsReleasedBeforeWaiting() {
    stack.world.keepWarmAlways();
    start(step("clone", "git clone"), step("build", "make"), gated("publish", "patch", "1h", null));

    assertThat(stack.world.runs().get(1).request().keepWarm()).isFalse();
    String keptAnyway = stack.world.runs().get(1).result().warmSandboxId();
    assertThat(keptAnyway).isNotNull();
    assertThat(task.status().status()).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThat(stack.world.releases()).containsExactly(new FakeWorld.Release("warm-1", keptAnyway));
    assertThat(stack.world.held()).isEmpty();
  }
}
