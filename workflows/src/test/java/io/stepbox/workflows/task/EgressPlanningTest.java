package io.stepbox.workflows.task;

import static io.stepbox.workflows.testkit.TestSpecs.allowing;
import static io.stepbox.workflows.testkit.TestSpecs.step;
import static io.stepbox.workflows.testkit.TestSpecs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which network and egress policy each attempt's request gets: approach, else step, else task. */
class EgressPlanningTest {
  private static final EgressSecret GITHUB =
      new EgressSecret("GITHUB_TOKEN", List.of("github.com"), null, null);

  private final TestStack stack = TestStack.start(new FakeWorld());

  @AfterEach
  void stop() {
    stack.close();
  }

  private List<StepRequest> run(TaskSpec spec) {
    TaskStatus status = stack.task("task-1").run(TaskInput.of(spec));
    assertThat(status.status()).as(status.error()).isEqualTo(TaskState.COMPLETED);
    return stack.world.runs().stream().map(FakeWorld.Run::request).toList();
  }

  @Test
  void eachAttemptRunsOnTheNetworkOfItsApproachElseItsStepElseTheTask() {
    StepSpec local = step("local", "make").withNetwork(NetworkSpec.NONE);
    StepSpec fetch =
        new StepSpec(
            "fetch",
            "exit 1",
            List.of(
                new ApproachSpec("mirror", "fetch files.example.org")
                    .withNetwork(allowing(null, "files.example.org", "github.com"))),
            null,
            null,
            null,
            null);
    TaskSpec spec =
        task(
            allowing("approve", "github.com", "pypi.org"),
            List.of(
                SecretSpec.env("PIP_TOKEN"),
                SecretSpec.egress("GITHUB_TOKEN", List.of("github.com"), null, null)),
            step("clone", "fetch github.com"),
            local,
            fetch);

    List<StepRequest> runs = run(spec);

    assertThat(runs)
        .extracting(r -> r.stepId() + "/" + r.approach())
        .containsExactly("clone/default", "local/default", "fetch/default", "fetch/mirror");
    assertThat(runs).allSatisfy(r -> assertThat(r.network()).isEqualTo(TaskSpec.NO_NETWORK));
    assertThat(runs)
        .as("egress secrets never go to the sandbox's env")
        .allSatisfy(r -> assertThat(r.secretNames()).containsExactly("PIP_TOKEN"));
    EgressPolicy task =
        new EgressPolicy(List.of("github.com", "pypi.org"), List.of(), List.of(GITHUB));
    assertThat(runs.get(0).egress()).isEqualTo(task);
    assertThat(runs.get(1).egress()).as("the step's network: none").isNull();
    assertThat(runs.get(2).egress()).isEqualTo(task);
    assertThat(runs.get(3).egress())
        .isEqualTo(
            new EgressPolicy(
                List.of("files.example.org", "github.com"), List.of(), List.of(GITHUB)));
  }

  @Test
  void aNamedNetworkHasNoEgressPolicy() {
    TaskSpec spec =
        task(NetworkSpec.named("stepbox-internal"), List.of(SecretSpec.env("T")), step("a", "x"));

    StepRequest request = run(spec).get(0);

    assertThat(request.network()).isEqualTo("stepbox-internal");
    assertThat(request.egress()).isNull();
    assertThat(request.secretNames()).containsExactly("T");
  }
}
