package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.allowing;
import static io.stepbox.workflows.testkit.TestSpecs.gated;
import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code network.onDenied: approve}: a step that failed with hosts denied waits for a person, who
 * allows the hosts (the step reruns from the same base) or rejects them (the task fails). The fake
 * worker denies each {@code fetch HOST} its request's policy does not allow.
 */
class EgressApprovalTest {
  private final TestStack stack = TestStack.start(new FakeWorld().warmOn("warm-1"), "warm-1");
  private final AgentTaskWorkflow task = stack.task("task-1");

  @AfterEach
  void stop() {
    stack.close();
  }

  private void start(NetworkSpec network, StepSpec... steps) {
    WorkflowClient.start(task::run, TaskInput.of(task(network, List.of(), steps)));
    stack.env.sleep(Duration.ofMinutes(1));
  }

  private TaskStatus result() {
    return WorkflowStub.fromTyped(task).getResult(TaskStatus.class);
  }

  private List<StepRequest> requests(String stepId) {
    return stack.world.runs().stream()
        .map(FakeWorld.Run::request)
        .filter(r -> r.stepId().equals(stepId))
        .toList();
  }

  @Test
  void waitsWithTheDeniedHostsThenRerunsFromTheSameBaseWithThemAllowed() {
    start(
        allowing("approve", "github.com"),
        step("clone", "fetch github.com"),
        step("install", "fetch pypi.org", "mirror=fetch files.example.org:8443"),
        step("test", "pytest"));

    TaskStatus waiting = task.status();
    assertThat(waiting.status()).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThat(waiting.currentStep()).isEqualTo("install");
    StepStatus install = waiting.findStep("install").orElseThrow();
    assertThat(install.status()).isEqualTo(StepState.WAITING_APPROVAL);
    assertThat(install.approval()).as("no gate").isNull();
    assertThat(install.egressApproval().hosts())
        .containsExactly("pypi.org", "files.example.org:8443");
    assertThat(install.egressApproval().decision()).isNull();
    assertThat(install.attempts())
        .allSatisfy(a -> assertThat(a.egress().denied()).isEqualTo(1));
    assertThat(stack.world.held()).as("no sandbox held while waiting").isEmpty();
    TaskMemo.Gate memo =
        WorkflowStub.fromTyped(task)
            .describe()
            .getMemo(TaskMemo.GATE, TaskMemo.Gate.class, TaskMemo.Gate.class);
    assertThat(memo.step()).isEqualTo("install");
    assertThat(memo.hosts()).containsExactly("pypi.org", "files.example.org:8443");

    task.decide(Decision.approve("install", "alice", "the index and its mirror"));
    TaskStatus done = result();

    assertThat(done.status()).isEqualTo(TaskState.COMPLETED);
    List<StepRequest> runs = requests("install");
    assertThat(runs)
        .extracting(StepRequest::approach)
        .containsExactly("default", "mirror", "default");
    String cloned = stack.world.runs().get(0).result().snapshotId();
    assertThat(runs).allSatisfy(r -> assertThat(r.baseSnapshotId()).isEqualTo(cloned));
    assertThat(runs.get(0).egress().allow()).containsExactly("github.com");
    assertThat(runs.get(2).egress().allow())
        .containsExactly("github.com", "pypi.org", "files.example.org:8443");
    assertThat(requests("test").get(0).egress().allow()).containsExactly("github.com");
    ApprovalStatus decided = done.findStep("install").orElseThrow().egressApproval();
    assertThat(decided.decision()).isEqualTo("approve");
    assertThat(decided.by()).isEqualTo("alice");
    assertThat(decided.hosts()).containsExactly("pypi.org", "files.example.org:8443");
    assertThat(done.findStep("install").orElseThrow().status()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aRerunDeniedOtherHostsAsksAgainKeepingTheHostsApprovedBefore() {
    start(allowing("approve"), step("install", "fetch pypi.org && fetch files.pythonhosted.org"));

    task.decide(Decision.approve("install", "alice", null));
    stack.env.sleep(Duration.ofMinutes(1));
    StepStatus asked = task.status().findStep("install").orElseThrow();
    assertThat(asked.status()).isEqualTo(StepState.WAITING_APPROVAL);
    assertThat(asked.egressApproval().hosts()).containsExactly("files.pythonhosted.org");

    task.decide(Decision.approve("install", "bob", null));

    assertThat(result().status()).isEqualTo(TaskState.COMPLETED);
    List<StepRequest> runs = requests("install");
    assertThat(runs).hasSize(3);
    assertThat(runs.get(1).egress().allow()).containsExactly("pypi.org");
    assertThat(runs.get(2).egress().allow()).containsExactly("pypi.org", "files.pythonhosted.org");
  }

  @Test
  void rejectingTheHostsFailsTheTaskNamingThemAndWhoRejected() {
    start(allowing("approve"), step("install", "fetch pypi.org"), step("test", "pytest"));

    task.decide(Decision.reject("install", "bob", "use the mirror"));
    TaskStatus done = result();

    assertThat(done.status()).isEqualTo(TaskState.FAILED);
    assertThat(done.currentStep()).isEqualTo("install");
    assertThat(done.error())
        .isEqualTo(
            "step install failed with hosts denied; bob rejected allowing pypi.org (use the"
                + " mirror)");
    StepStatus install = done.findStep("install").orElseThrow();
    assertThat(install.status()).isEqualTo(StepState.FAILED);
    assertThat(install.egressApproval().decision()).isEqualTo("reject");
    assertThat(done.findStep("test").orElseThrow().status()).isEqualTo(StepState.SKIPPED);
    assertThat(stack.world.runs()).hasSize(1);
  }

  @Test
  void withoutOnDeniedApproveADeniedHostFailsTheTaskAtOnce() {
    start(allowing(null), step("install", "fetch pypi.org"));

    assertThat(task.status().status()).as("not waiting").isEqualTo(TaskState.FAILED);
    TaskStatus done = result();
    assertThat(done.error()).isEqualTo("step install failed (default: exit 1)");
    StepStatus install = done.findStep("install").orElseThrow();
    assertThat(install.egressApproval()).isNull();
    assertThat(install.attempts().get(0).egress().firstDenials())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).isEqualTo("NOT_ALLOWED"));
  }

  @Test
  void deniedIpLiteralsDenyRulesAndPrivateAddressesAreNotAskedAbout() {
    start(
        NetworkSpec.egress(List.of("*.example.org"), List.of("blocked.example.org"), "approve"),
        step(
            "install",
            "fetch 10.0.0.1",
            "deny=fetch blocked.example.org",
            "private=fetch private.example.org"));

    assertThat(task.status().status()).as("not waiting").isEqualTo(TaskState.FAILED);
    StepStatus install = result().findStep("install").orElseThrow();
    assertThat(install.egressApproval()).isNull();
    assertThat(install.attempts())
        .extracting(a -> a.egress().firstDenials().get(0).reason())
        .containsExactly("IP_LITERAL", "DENY_RULE", "PRIVATE_ADDRESS");
    assertThat(stack.world.runs()).hasSize(3);
  }

  @Test
  void aGatedStepWaitsAtItsGateThenForItsHostsEachDecisionInItsOwnPlace() {
    start(allowing("approve"), gated("publish", "fetch github.com", null, null));

    task.decide(Decision.approve("publish", "alice", "ship it"));
    stack.env.sleep(Duration.ofMinutes(1));
    assertThat(task.status().findStep("publish").orElseThrow().egressApproval().hosts())
        .containsExactly("github.com");
    task.decide(Decision.approve("publish", "bob", "github is fine"));

    TaskStatus done = result();
    assertThat(done.status()).isEqualTo(TaskState.COMPLETED);
    StepStatus publish = done.findStep("publish").orElseThrow();
    assertThat(publish.approval().by()).isEqualTo("alice");
    assertThat(publish.egressApproval().by()).isEqualTo("bob");
  }
}
