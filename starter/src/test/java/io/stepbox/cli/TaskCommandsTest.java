package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.task.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task and session commands without a server: arguments, specs, exit codes, shell lines. */
class TaskCommandsTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs against a Temporal address where nothing listens. */
  private int run(String... argv) {
    out.reset();
    err.reset();
    return Main.run(
        List.of(argv),
        StepboxConfig.from(
            Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1", "STEPBOX_DATA_DIR", tmp.toString())),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anInvalidSpecPrintsEveryErrorOnItsOwnLine() throws Exception {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(
        spec,
        """
        name: bad
        steps:
          - id: a
            run: echo a
          - id: a
            run: ""
        """);
    assertThat(run("run", spec.toString())).isEqualTo(2);
    assertThat(err().lines())
        .first()
        .asString()
        .isEqualTo("stepbox: " + spec + " is not a valid task spec:");
    assertThat(err().lines().skip(1))
        .anyMatch(l -> l.startsWith("  image"))
        .anyMatch(l -> l.startsWith("  steps[1].id"))
        .anyMatch(l -> l.startsWith("  steps[1].run"))
        .allMatch(l -> l.startsWith("  "));
    assertThat(run("run", tmp.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(err()).contains("no such file");
  }

  @Test
  void anUnreachableServerIs125WithHowToStartOne() throws Exception {
    Path spec = tmp.resolve("ok.yaml");
    Files.writeString(spec, "name: ok\nimage: stepbox/base:busybox\nsteps: [{id: a, run: echo}]\n");
    for (List<String> argv :
        List.of(
            List.of("run", spec.toString()),
            List.of("status", "t-1"),
            List.of("approve", "t-1", "--step", "a"),
            List.of("logs", "t-1", "--step", "a"),
            List.of("session", "start"),
            List.of("session", "exec", "s-1", "--", "true"))) {
      assertThat(run(argv.toArray(String[]::new))).as("%s", argv).isEqualTo(125);
      assertThat(err())
          .contains("cannot reach Temporal at 127.0.0.1:1", "temporal server start-dev", "demo");
    }
  }

  @Test
  void usageErrors() {
    assertThat(run("run")).isEqualTo(2);
    assertThat(err()).contains("missing the task file");
    assertThat(run("status")).isEqualTo(2);
    assertThat(run("approve", "t-1")).isEqualTo(2);
    assertThat(err()).contains("--step S");
    assertThat(run("logs", "t-1")).isEqualTo(2);
    assertThat(run("session")).isEqualTo(2);
    assertThat(run("session", "frob")).isEqualTo(2);
    assertThat(run("session", "exec", "s-1")).isEqualTo(2);
    assertThat(err()).contains("missing the command to run after --");
    assertThat(run("session", "exec", "s-1", "--workdir", "rel", "--", "ls")).isEqualTo(2);
    assertThat(err()).contains("--workdir: 'rel' must be an absolute path");
    assertThat(run("session", "exec", "s-1", "--env", "NOEQUALS", "--", "ls")).isEqualTo(2);
    assertThat(run("session", "start", "--idle-timeout", "soon")).isEqualTo(2);
  }

  @Test
  void helpDocumentsTheExitCodes() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("run", "status", "approve", "session", "125");
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Exit codes", "invalid spec");
    assertThat(run("status", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("3 still running");
    assertThat(run("session", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("124", "137");
  }

  @Test
  void taskExitCodes() {
    assertThat(TaskExit.of(TaskState.COMPLETED)).isZero();
    assertThat(TaskExit.of(TaskState.FAILED)).isEqualTo(1);
    assertThat(TaskExit.of(TaskState.REJECTED)).isEqualTo(1);
    assertThat(TaskExit.of(TaskState.RUNNING)).isEqualTo(3);
    assertThat(TaskExit.of(TaskState.WAITING_APPROVAL)).isEqualTo(3);
  }

  @Test
  void oneArgumentIsAShellLineSeveralAreWords() {
    assertThat(ShellWords.shellLine(List.of("cd /w && make"))).isEqualTo("cd /w && make");
    assertThat(ShellWords.shellLine(List.of("printf", "%s\\n", "a b", "it's", "/x=1")))
        .isEqualTo("printf '%s\\n' 'a b' 'it'\\''s' /x=1");
  }
}
