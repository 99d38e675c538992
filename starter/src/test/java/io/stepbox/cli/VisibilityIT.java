package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepbox.cli.CliRunner.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding tasks and schedules on the real stack (temporal CLI dev server, a worker running tiny
 * busybox steps in gVisor): {@code list}, {@code approvals} and {@code schedule}. Visibility is
 * eventually consistent, so listings are polled until they show what is expected.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VisibilityIT {
  private static final Duration EVENTUALLY = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static StackFixture stack;
  private static CliRunner cli;

  @BeforeAll
  static void start() throws Exception {
    stack = new StackFixture(dir).startWorker();
    cli = new CliRunner(StepboxConfig.from(stack.childEnv("visibility-cli")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static String spec(String name, String steps) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, "name: " + name + "\nimage: stepbox/base:busybox\nsteps:\n" + steps);
    return file.toString();
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  private static Predicate<Run> listing(Predicate<List<String>> ids) {
    return r -> r.code() == 0 && ids.test(ids(r.json()));
  }

  /** Polls {@code stepbox list --json FILTERS} until it lists task {@code id} alone; its row. */
  private static JsonNode awaitOnly(String id, String... filters) throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of("list", "--json"));
    argv.addAll(List.of(filters));
    return cli.await(
            EVENTUALLY, listing(ids -> ids.equals(List.of(id))), argv.toArray(String[]::new))
        .json()
        .get(0);
  }

  @Test
  void listFiltersByStatusAndNameAndApprovalsShowsTheWaitingStep() throws Exception {
    String done = spec("lister-done", "  - {id: hello, run: echo hello}\n");
    String gated =
        spec(
            "lister-gated",
            """
              - {id: build, run: echo build}
              - id: publish
                run: echo publish > /tmp/out
                approaches: [{name: again, run: echo again}]
                approval: {required: true, timeout: 1h}
            """);
    Run ran = cli.run("run", done, "--id", "done-1", "--wait");
    assertThat(ran.code()).as(ran.err()).isZero();
    assertThat(cli.run("run", gated, "--id", "gated-1").code()).isZero();

    JsonNode row = awaitOnly("gated-1", "--status", "waiting_approval");
    assertThat(row.path("name").asText()).isEqualTo("lister-gated");
    assertThat(row.path("status").asText()).isEqualTo("WAITING_APPROVAL");
    assertThat(row.path("currentStep").asText()).isEqualTo("publish");
    assertThat(row.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(row.has("closeTime")).isFalse();

    JsonNode doneRow = awaitOnly("done-1", "--status", "COMPLETED", "--name", "lister-done");
    assertThat(doneRow.path("name").asText()).isEqualTo("lister-done");
    assertThat(doneRow.path("closeTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(cli.run("list", "--name", "lister-done", "--json").json())
        .extracting(t -> t.path("id").asText())
        .containsExactly("done-1");
    assertThat(ids(cli.run("list", "--status", "COMPLETED", "--json").json()))
        .contains("done-1")
        .doesNotContain("gated-1");
    assertThat(cli.run("list", "--name", "lister-gated", "--status", "COMPLETED", "--json").json())
        .isEmpty();
    assertThat(cli.run("list", "--name", "it's \"odd\" \\", "--json").json()).isEmpty();
    Run table = cli.run("list");
    assertThat(table.out()).contains("ID", "STATUS", "done-1", "COMPLETED", "gated-1", "publish");

    Run approvals = cli.run("approvals", "--json");
    assertThat(approvals.code()).as(approvals.err()).isZero();
    assertThat(ids(approvals.json())).containsExactly("gated-1");
    JsonNode a = approvals.json().get(0);
    assertThat(a.path("step").asText()).isEqualTo("publish");
    assertThat(a.path("image").asText()).isEqualTo("stepbox/base:busybox");
    assertThat(a.path("commands").get(0).path("run").asText()).isEqualTo("echo publish > /tmp/out");
    assertThat(a.path("commands").get(1).path("approach").asText()).isEqualTo("again");
    assertThat(a.path("approve").asText()).isEqualTo("stepbox approve gated-1 --step publish");
    assertThat(cli.run("approvals").out())
        .contains(
            "task gated-1 (lister-gated) waits for approval of step publish",
            "would run (default): echo publish > /tmp/out",
            "approve: stepbox approve gated-1 --step publish");

    Run badStatus = cli.run("list", "--status", "SLEEPING");
    assertThat(badStatus.code()).isEqualTo(2);
    assertThat(badStatus.err()).contains("'SLEEPING' is not a task status", "WAITING_APPROVAL");

    assertThat(cli.run("reject", "gated-1", "--step", "publish").code()).isZero();
    cli.await(EVENTUALLY, listing(List::isEmpty), "approvals", "--json");
  }

  @Test
  void scheduleCreateTriggerPauseUnpauseDelete() throws Exception {
    String task = spec("sched-task", "  - {id: tick, run: echo tick}\n");
    Run created = cli.run("schedule", "create", "nightly", "--every", "1d", task);
    assertThat(created.code()).as(created.err()).isZero();
    Run taken = cli.run("schedule", "create", "nightly", "--cron", "0 3 * * *", task);
    assertThat(taken.code()).isEqualTo(1);
    assertThat(taken.err()).contains("a schedule named 'nightly' exists already");

    JsonNode listed =
        cli.await(
                EVENTUALLY,
                r -> r.code() == 0 && r.out().contains("\"nightly\""),
                "schedule",
                "list",
                "--json")
            .json()
            .get(0);
    assertThat(listed.path("task").asText()).isEqualTo("sched-task");
    assertThat(listed.path("when").asText()).isEqualTo("every 1d");
    assertThat(listed.path("overlap").asText()).isEqualTo("skip");
    assertThat(listed.path("paused").asBoolean()).isFalse();

    assertThat(cli.run("schedule", "trigger", "nightly").code()).isZero();
    Run ran =
        cli.await(
            EVENTUALLY,
            listing(ids -> ids.size() == 1),
            "list",
            "--name",
            "sched-task",
            "--status",
            "COMPLETED",
            "--json");
    assertThat(ran.json().get(0).path("id").asText()).startsWith("schedule-nightly-");

    assertThat(cli.run("schedule", "pause", "nightly", "--note", "maintenance").code()).isZero();
    Run paused =
        cli.await(EVENTUALLY, r -> r.out().contains("paused: maintenance"), "schedule", "list");
    assertThat(paused.out()).contains("nightly", "sched-task", "every 1d", "skip");
    assertThat(cli.run("schedule", "unpause", "nightly").code()).isZero();
    cli.await(
        EVENTUALLY,
        r -> r.out().contains("\"paused\" : false") && r.out().contains("schedule-nightly-"),
        "schedule",
        "list",
        "--json");

    assertThat(cli.run("schedule", "delete", "nightly").code()).isZero();
    cli.await(EVENTUALLY, r -> !r.out().contains("nightly"), "schedule", "list", "--json");
    Run gone = cli.run("schedule", "trigger", "nightly");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("no schedule 'nightly'");
  }

  @Test
  void scheduleCreateRefusesBadInput() throws Exception {
    String task = spec("sched-bad", "  - {id: tick, run: echo tick}\n");
    Run cron = cli.run("schedule", "create", "bad-cron", "--cron", "every tuesday", task);
    assertThat(cron.code()).as(cron.out() + cron.err()).isEqualTo(2);
    assertThat(cron.err()).containsIgnoringCase("cron");
    Run missing = cli.run("schedule", "create", "no-file", "--every", "1h", "/no/such.yaml");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no task file /no/such.yaml");
    String invalid = spec("sched-invalid", "  - {id: tick, run: ''}\n");
    Run bad = cli.run("schedule", "create", "invalid", "--every", "1h", invalid);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("is not a valid task spec", "steps[0].run");
    Run unknown = cli.run("schedule", "pause", "never-made");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no schedule 'never-made'");
  }
}
