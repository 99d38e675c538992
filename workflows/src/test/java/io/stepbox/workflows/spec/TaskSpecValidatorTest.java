package io.stepbox.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.step.StepLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskSpecValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The issue's example, as JSON, with the input path already absolute. */
  private static final String EXAMPLE =
      """
      {"name": "fix-calc", "image": "stepbox/python:bookworm",
       "limits": {"cpus": 1, "memory": "1g", "pids": 512, "timeout": "10m", "output": "1m"},
       "network": "none",
       "inputs": {"repo": {"path": "/home/me/demo/repo.git", "mount": "/src/repo.git"}},
       "env": {"PIP_NO_INDEX": "1"}, "secrets": ["GITHUB_TOKEN"],
       "steps": [
         {"id": "clone", "run": "git clone /src/repo.git /workspace/repo"},
         {"id": "test", "run": "cd /workspace/repo && python3 -m pytest -q",
          "approaches": [{"name": "apply-fix", "run": "git apply /workspace/fix.patch"}]},
         {"id": "publish", "run": "git format-patch -1 -o /workspace/out",
          "approval": {"required": true, "timeout": "24h", "onTimeout": "reject"}}],
       "exports": ["/workspace/out"]}
      """;

  private static TaskSpec read(String json) throws Exception {
    return JSON.readValue(json, TaskSpec.class);
  }

  private static List<String> errors(String json) throws Exception {
    return TaskSpecValidator.validate(read(json)).stream().map(SpecError::toString).toList();
  }

  @Test
  void theIssuesExampleIsValidAndResolvesItsLimits() throws Exception {
    TaskSpec spec = read(EXAMPLE);

    assertThat(TaskSpecValidator.validate(spec)).isEmpty();
    assertThat(spec.limits().resolve())
        .isEqualTo(new StepLimits(1, 1L << 30, 512, 600_000, 1L << 20, 0));
    assertThat(spec.steps().get(2).requiresApproval()).isTrue();
    assertThat(spec.steps().get(0).requiresApproval()).isFalse();
  }

  @Test
  void reportsEveryErrorAtOnceWithItsPath() throws Exception {
    String json =
        """
        {"name": "", "image": "a b", "limits": {"cpus": 0, "memory": "12x", "pids": 0,
           "timeout": "10", "output": "0", "disk": "lots"},
         "network": "host",
         "inputs": {"Repo": {"path": "./repo.git", "mount": "src"}, "b": {"path": "/x", "mount": "/"}},
         "env": {"1X": null}, "secrets": ["GITHUB_TOKEN", "GITHUB_TOKEN", "bad-name"],
         "workdir": "work",
         "steps": [
           {"id": "test", "run": "true"},
           {"id": "Fix", "run": " ", "approaches": [{"name": "default", "run": "x"}, {"name": "a", "run": ""}],
            "approval": {"timeout": "soon", "onTimeout": "maybe"}, "limits": {"memory": "1q"}},
           {"id": "test", "run": "x", "workdir": "/a/../b"},
           null],
         "exports": ["out", "/ok"]}
        """;

    assertThat(errors(json))
        .containsExactly(
            "name: must not be empty",
            "image: \"a b\" must not contain spaces",
            "limits.cpus: must be more than 0, got 0.0",
            "limits.pids: must be at least 1, got 0",
            "limits.memory: \"12x\" is not a size (use e.g. 512m, 1g)",
            "limits.timeout: \"10\" is not a duration (use e.g. 30s, 10m, 24h)",
            "limits.output: \"0\" is not a size (use e.g. 512m, 1g)",
            "limits.disk: \"lots\" is not a size (use e.g. 512m, 1g)",
            "network: \"host\" is not allowed; use none or the name of an internal Docker network",
            "inputs.Repo: not a valid input name (use a-z, 0-9, _ and -)",
            "inputs.Repo.path: \"./repo.git\" must be an absolute host path (spec files resolve it"
                + " against their folder)",
            "inputs.Repo.mount: \"src\" must be an absolute path, like /workspace/out",
            "inputs.b.mount: must not be / ; mount an input below it, like /src/repo",
            "env.1X: not a valid variable name (use A-Z, a-z, 0-9 and _, not starting with a digit)",
            "env.1X: must have a value (write \"\" for an empty one)",
            "secrets[1]: duplicate secret \"GITHUB_TOKEN\"",
            "secrets[2]: \"bad-name\" is not a valid variable name",
            "workdir: \"work\" must be an absolute path, like /workspace/out",
            "steps[1].id: \"Fix\" is not a valid id (use a-z, 0-9, _ and -, starting a-z or 0-9)",
            "steps[1].run: must not be empty",
            "steps[1].approaches[0].name: \"default\" names the step's own command; choose another"
                + " name",
            "steps[1].approaches[1].run: must not be empty",
            "steps[1].approval.timeout: \"soon\" is not a duration (use e.g. 30s, 10m, 24h)",
            "steps[1].approval.onTimeout: \"maybe\" must be reject or approve",
            "steps[1].limits.memory: \"1q\" is not a size (use e.g. 512m, 1g)",
            "steps[2].id: duplicate id \"test\"",
            "steps[2].workdir: \"/a/../b\" must be an absolute path, like /workspace/out",
            "steps[3]: must not be empty",
            "exports[0]: \"out\" must be an absolute path, like /workspace/out");
  }

  @Test
  void aTaskNeedsAStepAndSecretsComeOnlyFromTheWorker() throws Exception {
    assertThat(errors("{\"name\": \"t\", \"image\": \"i\"}"))
        .containsExactly("steps: at least one step is required");
    assertThat(
            errors(
                """
                {"name": "t", "image": "i", "env": {"TOKEN": "x"}, "secrets": ["TOKEN"],
                 "steps": [{"id": "a", "run": "x"}]}
                """))
        .containsExactly(
            "secrets[0]: \"TOKEN\" is also set in env; a secret comes only from the worker");
  }

  @Test
  void anInternalNetworkNameAndApprovalDefaultsAreAccepted() throws Exception {
    TaskSpec spec =
        read(
            """
            {"name": "t", "image": "i", "network": "stepbox-internal",
             "steps": [{"id": "a", "run": "x", "approval": {}}]}
            """);

    assertThat(TaskSpecValidator.validate(spec)).isEmpty();
    ApprovalSpec approval = spec.steps().get(0).approval();
    assertThat(approval.required()).isTrue();
    assertThat(approval.onTimeout()).isEqualTo("reject");
    assertThat(approval.timeout()).isNull();
  }

  @Test
  void checkThrowsWithEveryError() throws Exception {
    TaskSpec spec = read("{\"image\": \"i\", \"steps\": [{\"id\": \"a\"}]}");

    assertThatThrownBy(() -> TaskSpecValidator.check(spec))
        .isInstanceOfSatisfying(
            TaskSpecException.class,
            e ->
                assertThat(e.errors())
                    .extracting(SpecError::path)
                    .containsExactly("name", "steps[0].run"))
        .hasMessage(
            "invalid task spec (2 errors):\n  name: must not be empty\n  steps[0].run: must not be empty");
  }

  @Test
  void stepLimitsOverrideTaskLimitsFieldByField() {
    LimitsSpec task = new LimitsSpec(2.0, "2g", null, "1h", null, null);
    LimitsSpec step = new LimitsSpec(null, "4g", 64, null, null, "10g");

    StepLimits merged = step.over(task).resolve();

    assertThat(merged).isEqualTo(new StepLimits(2.0, 4L << 30, 64, 3_600_000, 1L << 20, 10L << 30));
    assertThat(LimitsSpec.NONE.resolve()).isEqualTo(StepLimits.DEFAULTS);
  }
}
