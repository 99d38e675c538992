package io.stepbox.workflows.testkit;

import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.ApprovalSpec;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Task specs for workflow tests. */
public final class TestSpecs {
  private TestSpecs() {}

  /** A task of {@code steps} with an input, env, a secret and one export. */
  public static TaskSpec task(StepSpec... steps) {
    return new TaskSpec(
        "test-task",
        "stepbox/python:bookworm",
        null,
        null,
        Map.of("repo", new InputSpec("/host/repo.git", "/src/repo.git")),
        Map.of("PIP_NO_INDEX", "1"),
        List.of("GITHUB_TOKEN"),
        null,
        Arrays.asList(steps),
        List.of("/workspace/out"));
  }

  /** A task of {@code steps} on {@code network}, with {@code secrets} and no inputs or exports. */
  public static TaskSpec task(NetworkSpec network, List<SecretSpec> secrets, StepSpec... steps) {
    return new TaskSpec(
        "test-task",
        "stepbox/python:bookworm",
        null,
        network,
        Map.of(),
        Map.of(),
        secrets,
        null,
        Arrays.asList(steps),
        List.of());
  }

  /** An egress policy allowing {@code hosts}; {@code onDenied} null fails. */
  public static NetworkSpec allowing(String onDenied, String... hosts) {
    return NetworkSpec.egress(List.of(hosts), List.of(), onDenied);
  }

  /** A step that tries {@code run}, then each {@code name=command} approach. */
  public static StepSpec step(String id, String run, String... approaches) {
    List<ApproachSpec> list =
        Arrays.stream(approaches)
            .map(
                a ->
                    new ApproachSpec(
                        a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1)))
            .toList();
    return new StepSpec(id, run, list, null, null, null, null);
  }

  /** A gated step; {@code timeout} null waits forever. */
  public static StepSpec gated(String id, String run, String timeout, String onTimeout) {
    return new StepSpec(
        id, run, List.of(), new ApprovalSpec(true, timeout, onTimeout), null, null, null);
  }
}
