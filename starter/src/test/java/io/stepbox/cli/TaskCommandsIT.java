package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepbox.cli.CliRunner.Run;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.SessionWorkflowImpl;
import io.stepbox.workflows.task.AgentTaskWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task and session commands in process against a real temporal CLI dev server, with the real
 * workflows and fake step activities (no sandboxes) in a worker of this JVM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TaskCommandsIT {
  @TempDir static Path shared;
  private static TemporalDevServer server;
  private static LocalBlobStore blobs;
  private static StepboxConfig config;

  @TempDir Path tmp;
  private TemporalConnection temporal;
  private WorkerFactory workers;

  @BeforeAll
  static void startServer() {
    server = TemporalDevServer.newBuilder(shared.resolve("temporal.db")).build().start();
    blobs = new LocalBlobStore(shared.resolve("blobs"));
    config =
        StepboxConfig.from(
            Map.of(
                "TEMPORAL_ADDRESS", server.address(),
                "STEPBOX_BLOB_URL", shared.resolve("blobs").toUri().toString(),
                "STEPBOX_DATA_DIR", shared.resolve("data").toString()));
  }

  @AfterAll
  static void stopServer() {
    blobs.close();
    server.close();
  }

  @BeforeEach
  void startWorker() {
    temporal = TemporalConnection.connect(server.address(), "default");
    workers = WorkerFactory.newInstance(temporal.client());
    Worker worker = workers.newWorker(TaskQueues.SHARED);
    worker.registerWorkflowImplementationTypes(
        AgentTaskWorkflowImpl.class, SessionWorkflowImpl.class);
    worker.registerActivitiesImplementations(new FakeSteps(blobs));
    workers.start();
  }

  @AfterEach
  void stopWorker() {
    stopWorkers();
    temporal.close();
  }

  private void stopWorkers() {
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static Run cli(String... argv) {
    return new CliRunner(config).run(argv);
  }

  /** Runs a command whose output the caller can watch while it runs. */
  private static Run cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... argv) {
    return new CliRunner(config).run(out, err, argv);
  }

  private String spec(String name, String yaml) throws IOException {
    Path file = tmp.resolve(name + ".yaml");
    Files.writeString(file, "name: " + name + "\nimage: stepbox/base:busybox\n" + yaml);
    return file.toString();
  }

  private static final String FIX_STEPS =
      """
      steps:
        - id: clone
          run: echo clone
        - id: test
          run: exit 1
          approaches:
            - name: fix
              run: echo fixed
      exports: [/workspace/out]
      """;

  private static final String GATED_STEPS =
      """
      steps:
        - id: build
          run: echo build
        - id: publish
          run: echo publish
          approval: {required: true, timeout: 1h, onTimeout: reject}
      """;

  /** Polls {@code stepbox status ID --json} until the task is in {@code state}. */
  private static JsonNode awaitState(String id, String state) throws InterruptedException {
    return new CliRunner(config)
        .await(
            Duration.ofSeconds(30),
            r -> r.code() != 125 && r.json().path("status").asText().equals(state),
            "status",
            id,
            "--json")
        .json();
  }

  @Test
  void runWaitJsonThenStatusAndLogs() throws Exception {
    Run run = cli("run", spec("fix", FIX_STEPS), "--wait", "--json", "--id", "fix-1");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode end = run.json();
    assertThat(end.path("id").asText()).isEqualTo("fix-1");
    assertThat(end.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(end.path("exportsRef").asText()).isEqualTo("exports/fix-1.tar");
    JsonNode test = end.path("steps").get(1);
    assertThat(test.path("id").asText()).isEqualTo("test");
    assertThat(test.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(test.path("approach").asText()).isEqualTo("fix");
    assertThat(test.path("exitCode").asInt()).isZero();
    assertThat(test.path("attempts")).hasSize(2);
    assertThat(test.path("attempts").get(0).path("exitCode").asInt()).isEqualTo(1);
    assertThat(test.path("snapshot").asText()).startsWith("snap-");
    assertThat(test.has("durationMillis")).isTrue();

    Run status = cli("status", "fix-1", "--json");
    assertThat(status.code()).isZero();
    assertThat(status.json().path("status").asText()).isEqualTo("COMPLETED");
    assertThat(status.json().path("currentStep").isNull()).isTrue();
    assertThat(status.json().path("steps").get(1)).isEqualTo(test);
    Run table = cli("status", "fix-1");
    assertThat(table.out())
        .contains("task fix-1 (fix): COMPLETED", "STEP", "clone", "SUCCEEDED", "fix")
        .contains("exports: exports/fix-1.tar");

    Run logs = cli("logs", "fix-1", "--step", "test");
    assertThat(logs.code()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("ran test/fix: echo fixed\n");
    assertThat(cli("logs", "fix-1", "--step", "test", "--approach", "default").out())
        .isEqualTo("ran test/default: exit 1\n");
    assertThat(cli("logs", "fix-1", "--step", "clone", "--stderr").out())
        .isEqualTo("err of clone/default\n");
    Run unknown = cli("logs", "fix-1", "--step", "deploy");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("has no step 'deploy'", "clone, test");
  }

  @Test
  void runWaitPrintsAStepLinePerChangeAndExitsOneWhenTheTaskFails() throws Exception {
    Run ok = cli("run", spec("lines", FIX_STEPS), "--wait", "--id", "lines-1");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out().lines().findFirst()).contains("lines-1");
    assertThat(ok.out())
        .containsPattern("test +attempt failed +default +1 ")
        .containsPattern("test +SUCCEEDED +fix +0 ")
        .contains("task lines-1 ended: COMPLETED after")
        .contains("task lines-1 (lines): COMPLETED");

    Run failed =
        cli(
            "run",
            spec("broken", "steps:\n  - {id: one, run: exit 3}\n"),
            "--wait",
            "--id",
            "broken-1");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.out()).containsPattern("one +FAILED +default +3 ");
    Run status = cli("status", "broken-1", "--json");
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.json().path("status").asText()).isEqualTo("FAILED");
    assertThat(status.json().path("currentStep").asText()).isEqualTo("one");
  }

  @Test
  void approveAndRejectAGatedTask() throws Exception {
    String gated = spec("gated", GATED_STEPS);
    Run started = cli("run", gated, "--id", "gate-1", "--json");
    assertThat(started.code()).isZero();
    assertThat(started.json().path("id").asText()).isEqualTo("gate-1");
    JsonNode waiting = awaitState("gate-1", "WAITING_APPROVAL");
    assertThat(waiting.path("currentStep").asText()).isEqualTo("publish");
    assertThat(cli("status", "gate-1").code()).isEqualTo(3);
    assertThat(cli("status", "gate-1").out())
        .contains("waiting for approval of step publish: stepbox approve gate-1 --step publish");

    Run refused = cli("approve", "gate-1", "--step", "build");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("refused: step \"build\" has no approval gate");
    Run approved = cli("approve", "gate-1", "--step", "publish", "--by", "alice", "--reason", "ok");
    assertThat(approved.code()).as(approved.err()).isZero();
    JsonNode done = awaitState("gate-1", "COMPLETED");
    JsonNode approval = done.path("steps").get(1).path("approval");
    assertThat(approval.path("decision").asText()).isEqualTo("approve");
    assertThat(approval.path("by").asText()).isEqualTo("alice");
    assertThat(approval.path("reason").asText()).isEqualTo("ok");

    assertThat(cli("run", gated, "--id", "gate-2").code()).isZero();
    awaitState("gate-2", "WAITING_APPROVAL");
    assertThat(cli("reject", "gate-2", "--step", "publish", "--reason", "not today").code())
        .isZero();
    JsonNode rejected = awaitState("gate-2", "REJECTED");
    assertThat(rejected.path("steps").get(1).path("approval").path("by").asText())
        .isEqualTo(System.getProperty("user.name"));
    assertThat(cli("status", "gate-2").code()).isEqualTo(1);
  }

  @Test
  void runWaitSaysHowToApproveAndEndsWhenApproved() throws Exception {
    String gated = spec("waits", GATED_STEPS);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Run> run =
        CompletableFuture.supplyAsync(
            () ->
                cli(
                    new ByteArrayOutputStream(),
                    err,
                    "run",
                    gated,
                    "--wait",
                    "--json",
                    "--id",
                    "wait-1"));
    String hint = "waiting for approval of step publish: stepbox approve wait-1 --step publish";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!err.toString(StandardCharsets.UTF_8).contains(hint)) {
      assertThat(System.nanoTime()).as("the hint in %s", err).isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(cli("approve", "wait-1", "--step", "publish").code()).isZero();
    Run end = run.get(60, TimeUnit.SECONDS);
    assertThat(end.code()).isZero();
    assertThat(end.err()).containsOnlyOnce(hint);
    assertThat(end.json().path("status").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void statusWithoutAWorker() throws Exception {
    assertThat(cli("run", spec("done", FIX_STEPS), "--wait", "--id", "done-1").code()).isZero();
    assertThat(cli("run", spec("held", GATED_STEPS), "--id", "held-1").code()).isZero();
    awaitState("held-1", "WAITING_APPROVAL");
    stopWorkers();

    long t0 = System.nanoTime();
    Run done = cli("status", "done-1", "--json");
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.json().path("steps").get(1).path("approach").asText()).isEqualTo("fix");
    Run held = cli("status", "held-1");
    assertThat(held.code()).isEqualTo(125);
    assertThat(held.err())
        .contains("no worker answered about task 'held-1' (none within 10 s)", "stepbox worker");
    assertThat(System.nanoTime() - t0)
        .as("a status query nobody answers gives up after the query timeout")
        .isLessThan(TimeUnit.SECONDS.toNanos(20));

    Run missing = cli("status", "no-such-task");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("task 'no-such-task' does not exist");
  }

  @Test
  void sessionStartExecForkClose() throws Exception {
    Run start = cli("session", "start", "--id", "s1", "--json");
    assertThat(start.code()).as(start.err()).isZero();
    assertThat(start.json().path("id").asText()).isEqualTo("s1");

    Run hello = cli("session", "exec", "s1", "--", "echo", "hello world");
    assertThat(hello.code()).as(hello.err()).isZero();
    assertThat(hello.out()).isEqualTo("ran exec-1/default: echo 'hello world'\n");
    assertThat(hello.err()).isEqualTo("err of exec-1/default\n");
    assertThat(cli("session", "exec", "s1", "--", "exit 7").code()).isEqualTo(7);
    assertThat(cli("session", "exec", "s1", "--timeout", "5s", "--", "slow").code()).isEqualTo(124);
    assertThat(cli("session", "exec", "s1", "--", "oom").code()).isEqualTo(137);
    Run big = cli("session", "exec", "s1", "--", "big");
    assertThat(big.code()).isZero();
    assertThat(big.err()).contains("showing the last 4.0 KiB of", "stepbox session logs s1");
    assertThat(cli("session", "logs", "s1").out().length()).isGreaterThan(10 * 1024);

    Run fork = cli("session", "fork", "s1");
    assertThat(fork.out().strip()).isEqualTo("s1-fork-1");
    JsonNode forked = cli("session", "status", "s1-fork-1", "--json").json();
    JsonNode parent = cli("session", "status", "s1", "--json").json();
    assertThat(parent.path("execCount").asInt()).isEqualTo(5);
    assertThat(forked.path("snapshotId").asText()).isEqualTo(parent.path("snapshotId").asText());

    Run close = cli("session", "close", "s1");
    assertThat(close.code()).isZero();
    assertThat(close.out().strip()).isEqualTo(parent.path("snapshotId").asText());
    Run after = cli("session", "exec", "s1", "--", "echo late");
    assertThat(after.code()).isEqualTo(1);
    assertThat(after.err()).containsAnyOf("session s1 is closed", "session s1 has ended (closed)");
    assertThat(cli("session", "status", "s1", "--json").json().path("closed").asBoolean()).isTrue();
    assertThat(cli("session", "close", "s1-fork-1").code()).isZero();

    Run wrongKind = cli("status", "s1");
    assertThat(wrongKind.code()).isEqualTo(1);
    assertThat(wrongKind.err())
        .contains("is a SessionWorkflow, not a task: stepbox session status s1");
  }
}
