package io.stepbox.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.session.ExecCommand;
import io.stepbox.workflows.session.ExecOptions;
import io.stepbox.workflows.session.SessionCarry;
import io.stepbox.workflows.session.SessionInput;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.ApprovalSpec;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.MountSpec;
import io.stepbox.workflows.step.StepLimits;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.step.WarmSandbox;
import io.stepbox.workflows.task.ApprovalStatus;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskMemo;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every payload record survives Temporal's default data converter (Jackson) unchanged, and writes
 * no property a strict reader would not know (such as a helper method mistaken for a getter).
 */
class PayloadRoundTripTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static final StepResult RESULT =
      new StepResult(
          "t",
          "test",
          "fix",
          ExecOutcome.EXITED,
          0,
          "ok\n",
          "",
          "out/1",
          "err/1",
          3,
          0,
          "snap-1",
          2048,
          512,
          7,
          new StepPhases(1, 2, 3, 4, 10),
          "worker-a",
          "sb-1",
          true);

  static final TaskSpec SPEC =
      new TaskSpec(
          "fix-calc",
          "stepbox/python:bookworm",
          new LimitsSpec(1.5, "1g", 512, "10m", "1m", null),
          "none",
          Map.of("repo", new InputSpec("/abs/repo.git", "/src/repo.git")),
          Map.of("PIP_NO_INDEX", "1"),
          List.of("GITHUB_TOKEN"),
          "/workspace",
          List.of(
              StepSpec.of("clone", "git clone"),
              new StepSpec(
                  "publish",
                  "patch",
                  List.of(new ApproachSpec("again", "patch -f")),
                  new ApprovalSpec(true, "24h", "reject"),
                  new LimitsSpec(null, "2g", null, null, null, null),
                  Map.of("A", "b"),
                  "/w")),
          List.of("/workspace/out"));

  static final EgressSummary EGRESS =
      new EgressSummary(
          3,
          1,
          100,
          2000,
          1,
          List.of(new EgressDenial("pypi.org", 443, "NOT_ALLOWED", "pypi.org:443 is not on ...")),
          "egress/t/test/1.jsonl");

  static final TaskSpec EGRESS_SPEC =
      new TaskSpec(
          "egress",
          "img",
          null,
          NetworkSpec.egress(
              List.of("github.com", "*.example.org"), List.of("x.example.org"), null),
          Map.of(),
          Map.of(),
          List.of(
              SecretSpec.env("PIP_TOKEN"),
              SecretSpec.egress("GH", List.of("github.com"), "Authorization: Bearer {value}", null),
              SecretSpec.egress("GIT", List.of("git.example.org"), null, "x-access-token")),
          null,
          List.of(
              StepSpec.of("a", "x").withNetwork(NetworkSpec.NONE),
              new StepSpec(
                  "b",
                  "y",
                  List.of(
                      new ApproachSpec("c", "z")
                          .withNetwork(NetworkSpec.egress(List.of("pypi.org"), null, "approve"))),
                  null,
                  null,
                  null,
                  null)),
          List.of());

  static Stream<Object> payloads() {
    StepStatus step =
        new StepStatus(
            "publish",
            StepState.SUCCEEDED,
            "default",
            0,
            List.of(
                AttemptStatus.of("default", RESULT, 40, true),
                AttemptStatus.failed("x", "boom", 3)),
            "snap-1",
            50,
            new ApprovalStatus(3_600_000, "reject", 10, "approve", "alice", "ok", 20));
    return Stream.of(
        StepLimits.DEFAULTS,
        new MountSpec("/host", "/src"),
        new StepPhases(1, 2, 3, 4, 10),
        new StepRequest(
            "t",
            "clone",
            "default",
            "img",
            "snap-0",
            "echo hi",
            Map.of("A", "1"),
            List.of("TOKEN"),
            "/workspace",
            new StepLimits(0.5, 1 << 20, 64, 1000, 4096, 1 << 30),
            "internal-net",
            List.of(new MountSpec("/host", "/src")),
            true,
            "sb-0"),
        new StepRequest(
            "t",
            "clone",
            "default",
            "img",
            "snap-0",
            "git clone",
            Map.of(),
            List.of(),
            null,
            StepLimits.DEFAULTS,
            "none",
            List.of(),
            false,
            null,
            null,
            new EgressPolicy(
                List.of("github.com", "git.example.com:443"),
                List.of("gist.github.com"),
                List.of(new EgressSecret("GH", List.of("github.com"), null, "x-access-token")))),
        RESULT,
        withEgress(RESULT, EGRESS),
        new ExportRequest("t", "img", "snap-1", List.of("/workspace/out")),
        new ExportResult("exports/t.tar", 10, List.of("/missing")),
        new WarmSandbox("worker-a", "sb-1", "snap-1"),
        SPEC,
        EGRESS_SPEC,
        TaskInput.of(EGRESS_SPEC),
        NetworkSpec.NONE,
        NetworkSpec.named("stepbox-internal"),
        NetworkSpec.egress(List.of("a.org"), List.of(), "approve"),
        SecretSpec.env("TOKEN"),
        SecretSpec.egress("GH", List.of("github.com"), null, null),
        new TaskMemo.Gate("test", "img", List.of(), List.of("pypi.org")),
        new SpecError("steps[0].id", "must not be empty"),
        TaskInput.of(SPEC),
        new TaskMemo.Spec("fix-calc", List.of("clone", "test")),
        new TaskMemo.Gate("publish", "img", List.of(new TaskMemo.Command("default", "git push"))),
        new TaskMemo.Gate(
            "fetch",
            "img",
            List.of(new TaskMemo.Command("default", "pip install x")),
            List.of("pypi.org", "git.example.com:8443")),
        Decision.approve("publish", "alice", "lgtm"),
        step,
        egressStep(),
        new TaskStatus(
            "t",
            "fix-calc",
            TaskState.COMPLETED,
            null,
            List.of(step),
            "exports/t.tar",
            10,
            List.of(),
            null,
            1,
            2),
        new SessionInput(
            "img",
            "snap-1",
            StepLimits.DEFAULTS,
            null,
            Map.of("A", "1"),
            List.of("T"),
            "/w",
            List.of(new MountSpec("/h", "/m")),
            60_000,
            10,
            new SessionCarry(3, 1, RESULT, new WarmSandbox("worker-a", "sb-1", "snap-1"))),
        new SessionInput(
            "img",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            EgressPolicy.allowing(List.of("pypi.org"))),
        new ExecCommand("ls", new ExecOptions(5_000L, Map.of("B", "2"), "/tmp")),
        ExecCommand.of("ls"),
        new SessionState("s", "img", "snap-1", 4, 1, true, SessionState.IDLE, RESULT));
  }

  /** A step that failed with a host denied, waiting for the decision on allowing it. */
  private static StepStatus egressStep() {
    return new StepStatus(
        "test",
        StepState.WAITING_APPROVAL,
        "default",
        1,
        List.of(AttemptStatus.of("default", withEgress(RESULT, EGRESS), 40, false)),
        null,
        50,
        null,
        ApprovalStatus.egress(List.of("pypi.org"), 60).decided("approve", "alice", "ok", 70));
  }

  private static StepResult withEgress(StepResult r, EgressSummary egress) {
    return new StepResult(
        r.taskId(),
        r.stepId(),
        r.approach(),
        r.outcome(),
        r.exitCode(),
        r.stdoutTail(),
        r.stderrTail(),
        r.stdoutRef(),
        r.stderrRef(),
        r.stdoutBytes(),
        r.stderrBytes(),
        r.snapshotId(),
        r.snapshotBytes(),
        r.uploadedBytes(),
        r.fileCount(),
        r.phases(),
        r.warmQueue(),
        r.warmSandboxId(),
        r.warm(),
        egress);
  }

  /** Each form of network and secret is written as it was read: old specs keep their strings. */
  @Test
  void networksAndSecretsAreWrittenInTheFormTheyWereWritten() throws Exception {
    assertThat(STRICT.writeValueAsString(SPEC))
        .contains("\"network\":\"none\"")
        .contains("\"secrets\":[\"GITHUB_TOKEN\"]");
    assertThat(STRICT.writeValueAsString(EGRESS_SPEC))
        .contains(
            "\"network\":{\"allow\":[\"github.com\",\"*.example.org\"],"
                + "\"deny\":[\"x.example.org\"],\"onDenied\":\"fail\"}")
        .contains(
            "\"secrets\":[\"PIP_TOKEN\",{\"name\":\"GH\",\"hosts\":[\"github.com\"],"
                + "\"header\":\"Authorization: Bearer {value}\"},{\"name\":\"GIT\","
                + "\"hosts\":[\"git.example.org\"],\"basicAuth\":\"x-access-token\"}]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void survivesTemporalsDataConverter(Object value) {
    Payload payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
    Object back =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            payload, value.getClass(), value.getClass());
    assertThat(back).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void writesOnlyItsComponents(Object value) throws Exception {
    String json = STRICT.writeValueAsString(value);
    assertThat(STRICT.readValue(json, value.getClass())).isEqualTo(value);
  }
}
