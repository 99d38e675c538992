package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line errors that need no engine: exit code 2 and a message that says what to do. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... argv) {
    return Main.run(
        List.of(argv),
        StepboxConfig.from(Map.of()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'frobnicate'", "stepbox help");
    assertThat(run("sandbox", "run", "--memroy", "1g", "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown option --memroy");
    assertThat(run("sandbox", "run", "--timeout", "ten", "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--timeout: 'ten'", "30s, 10m, 1h");
    assertThat(run("sandbox", "run")).isEqualTo(2);
    assertThat(err.toString()).contains("missing the command to run after --");
    assertThat(run("bench")).isEqualTo(2);
  }

  @Test
  void helpAndVersion() {
    assertThat(run("help")).isZero();
    assertThat(out.toString()).contains("stepbox COMMAND", "sandbox", "doctor", "demo");
    assertThat(run("sandbox", "--help")).isZero();
    assertThat(out.toString()).contains("--network none|NAME", "124", "137");
    assertThat(run("version")).isZero();
    assertThat(out.toString()).contains("stepbox ");
  }

  @Test
  void findAndScheduleCommandLinesAreCheckedBeforeTemporalIsAsked() {
    assertThat(run("list", "--status", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("'nope' is not a task status; use one of RUNNING");
    assertThat(run("list", "extra")).isEqualTo(2);
    assertThat(err.toString()).contains("list takes no arguments");
    assertThat(run("approvals", "--limit", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--limit: must be a whole number of at least 1");
    assertThat(run("schedule", "create", "n", "--every", "1h")).isEqualTo(2);
    assertThat(err.toString()).contains("missing the task file (TASK.yaml)");
    assertThat(run("schedule", "create", "n", "--every", "1h", "/no/such.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("no task file /no/such.yaml");
    assertThat(run("schedule", "frob")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'schedule frob'");
    assertThat(run("schedule", "pause")).isEqualTo(2);
    assertThat(err.toString()).contains("missing the schedule's NAME");
    assertThat(run("schedule", "--help")).isZero();
    assertThat(out.toString()).contains("create NAME (--cron EXPR | --every DURATION) TASK.yaml");
    assertThat(run("list", "--help")).isZero();
    assertThat(run("help")).isZero();
    assertThat(out.toString()).contains("list", "approvals", "schedule");
  }
}
