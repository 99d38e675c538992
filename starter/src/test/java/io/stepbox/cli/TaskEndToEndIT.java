package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.cli.task.DemoTask;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.ExecCommand;
import io.stepbox.workflows.session.SessionInput;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.session.SessionWorkflow;
import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasks and sessions end to end: temporal CLI dev server, gVisor, SeaweedFS S3, a real worker. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskEndToEndIT {
  @TempDir Path dir;
  StackFixture stack;

  @BeforeEach
  void start() throws Exception {
    stack = new StackFixture(dir).startWorker();
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  static TaskStatus await(AgentTaskWorkflow task, Predicate<TaskStatus> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      TaskStatus s = task.status();
      if (condition.test(s) || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(200); // polling the status query
    }
  }

  String blob(String key) throws Exception {
    try (InputStream in = stack.blobs.get(key).orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theDemoTaskFailsTriesTheFixWaitsForApprovalAndExportsThePatch() throws Exception {
    var spec = DemoTask.spec(Path.of("..", "demo").toAbsolutePath().normalize(), dir);
    WorkflowClient client = stack.client();
    AgentTaskWorkflow task =
        client.newWorkflowStub(
            AgentTaskWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("demo-e2e")
                .setTaskQueue(TaskQueues.SHARED)
                .build());
    WorkflowClient.start(task::run, TaskInput.of(spec));

    TaskStatus waiting = await(task, s -> s.status() == TaskState.WAITING_APPROVAL || s.ended());
    assertThat(waiting.status()).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThat(waiting.currentStep()).isEqualTo("publish");
    assertThat(stack.sandboxesOf(stack.workerId))
        .as("sandboxes while waiting for approval")
        .isEmpty();

    task.decide(Decision.approve("publish", "e2e-test", "looks right"));
    TaskStatus done = WorkflowStub.fromTyped(task).getResult(TaskStatus.class);
    assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(TaskState.COMPLETED);
    var test = done.findStep("test").orElseThrow();
    assertThat(test.approach()).isEqualTo("apply-fix");
    assertThat(test.attempts())
        .extracting(AttemptStatus::approach, AttemptStatus::exitCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("default", 1),
            org.assertj.core.groups.Tuple.tuple("apply-fix", 0));
    assertThat(blob(test.attempts().get(0).stdoutRef())).contains("1 failed");
    assertThat(done.findStep("publish").orElseThrow().approval().by()).isEqualTo("e2e-test");

    List<String> exported = new ArrayList<>();
    try (InputStream in = stack.blobs.get(done.exportsRef()).orElseThrow();
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        exported.add(e.getName());
      }
    }
    assertThat(exported).anyMatch(n -> n.startsWith("workspace/out/0001-") && n.endsWith(".patch"));
    assertThat(stack.sandboxesOf(stack.workerId)).as("a finished task holds no sandbox").isEmpty();
  }

  @Test
  void aSessionOfTwentyExecsRunsInOrderFromEachSnapshotMostlyWarm() {
    WorkflowClient client = stack.client();
    SessionWorkflow session =
        client.newWorkflowStub(
            SessionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("session-e2e")
                .setTaskQueue(TaskQueues.SHARED)
                .build());
    WorkflowClient.start(session::run, SessionInput.of(SandboxFixture.BUSYBOX, null));
    SessionWorkflow handle = client.newWorkflowStub(SessionWorkflow.class, "session-e2e");
    int warm = 0;
    for (int i = 1; i <= 20; i++) {
      StepResult r =
          handle.exec(ExecCommand.of("mkdir -p /w && echo " + i + " >> /w/log && wc -l < /w/log"));
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdoutTail().strip()).isEqualTo(String.valueOf(i));
      warm += r.phases().restoreMillis() == 0 && i > 1 ? 1 : 0;
    }
    assertThat(warm).as("execs that reused the warm sandbox").isGreaterThanOrEqualTo(15);
    SessionState closed = handle.close();
    assertThat(closed.execCount()).isEqualTo(20);
    WorkflowStub.fromTyped(session).getResult(SessionState.class);
    assertThat(stack.sandboxesOf(stack.workerId)).as("a closed session holds no sandbox").isEmpty();
  }

  /** What a step does to its image's shell and tools: removes them, or makes one a text file. */
  static final String BREAK_THE_IMAGE =
      "rm -f /bin/sh /bin/sleep /usr/bin/find && echo 'not a program' > /bin/busybox && echo broken";

  static final List<String> AFTER_THE_BREAK =
      List.of(
          "python3",
          "-c",
          "import os; print(os.path.exists('/bin/sh'), os.path.exists('/usr/bin/find'),"
              + " open('/bin/busybox').read().strip())");

  @Test
  void aStepThatRemovesTheShellAndToolsLeavesASnapshotEveryLaterStepRunsFrom() throws Exception {
    String yaml =
        """
        name: independence
        image: stepbox/python:bookworm
        steps:
          - id: break
            run: "%s"
          - id: after
            argv: [%s]
        """
            .formatted(
                BREAK_THE_IMAGE.replace("\"", "\\\""),
                AFTER_THE_BREAK.stream()
                    .map(a -> "'" + a.replace("'", "''") + "'")
                    .collect(java.util.stream.Collectors.joining(", ")));
    TaskStatus done =
        WorkflowStub.fromTyped(stack.startTask("independence", yaml))
            .getResult(3, TimeUnit.MINUTES, TaskStatus.class);
    assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(TaskState.COMPLETED);
    AttemptStatus after = done.findStep("after").orElseThrow().finalAttempt().orElseThrow();
    assertThat(after.stdoutTail()).isEqualTo("False False not a program\n");

    // A sandbox made from the last snapshot starts, runs an argv command, and snapshots again.
    var engine =
        new io.stepbox.snapshot.SnapshotEngine(
            stack.runtime,
            stack.blobs,
            new com.fasterxml.jackson.databind.ObjectMapper(),
            java.time.Clock.systemUTC());
    var restored =
        engine.restore(
            done.findStep("after").orElseThrow().snapshot(),
            io.stepbox.sandbox.SandboxSpec.newBuilder("stepbox/python:bookworm").build());
    try {
      var r =
          stack.runtime.exec(
              restored,
              io.stepbox.sandbox.ExecRequest.newBuilder(List.of("ls", "/bin/busybox")).build());
      assertThat(r.stdout()).isEqualTo("/bin/busybox\n");
      assertThat(engine.capture(restored, "independence", "again").id()).isNotBlank();
    } finally {
      stack.runtime.destroy(restored);
    }
  }

  @Test
  void aSessionGoesOnWithArgvAfterAnExecRemovedTheShell() {
    WorkflowClient client = stack.client();
    SessionWorkflow session =
        client.newWorkflowStub(
            SessionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("session-no-shell")
                .setTaskQueue(TaskQueues.SHARED)
                .build());
    WorkflowClient.start(session::run, SessionInput.of("stepbox/python:bookworm", null));
    SessionWorkflow handle = client.newWorkflowStub(SessionWorkflow.class, "session-no-shell");
    assertThat(handle.exec(ExecCommand.of(BREAK_THE_IMAGE)).stdoutTail()).isEqualTo("broken\n");
    // On the warm sandbox, then in a fork, which starts from the stored snapshot.
    SessionWorkflow fork = client.newWorkflowStub(SessionWorkflow.class, handle.fork());
    for (SessionWorkflow h : List.of(handle, fork)) {
      StepResult r = h.exec(ExecCommand.argv(AFTER_THE_BREAK, null));
      assertThat(r.exitCode()).as(r.stderrTail()).isZero();
      assertThat(r.stdoutTail()).isEqualTo("False False not a program\n");
      h.close();
      WorkflowStub.fromTyped(h).getResult(SessionState.class); // its sandbox goes as it ends
    }
    assertThat(stack.sandboxesOf(stack.workerId)).as("closed sessions hold no sandbox").isEmpty();
  }

  @Test
  void aSessionFromAnImageStartsInASandboxTheWorkerStartedAhead() throws Exception {
    WorkflowClient client = stack.client();
    var hits =
        stack.metrics.registry().get("stepbox.sandbox.pool.takes").tag("result", "hit").counter();
    List<SessionWorkflow> sessions = new ArrayList<>();
    for (String id : List.of("pool-first", "pool-second")) {
      WorkflowClient.start(
          client.newWorkflowStub(
                  SessionWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(id)
                      .setTaskQueue(TaskQueues.SHARED)
                      .build())
              ::run,
          SessionInput.of(SandboxFixture.BUSYBOX, null));
      SessionWorkflow handle = client.newWorkflowStub(SessionWorkflow.class, id);
      double before = hits.count();
      StepResult r = handle.exec(ExecCommand.of("mkdir -p /w && echo " + id + " | tee /w/who"));
      assertThat(r.exitCode()).as(r.stderrTail()).isZero();
      assertThat(r.stdoutTail()).isEqualTo(id + "\n");
      if (id.equals("pool-first")) {
        assertThat(stack.worker.pool().awaitReady(Duration.ofMinutes(1)))
            .as("the worker started a sandbox for the next session")
            .isTrue();
      } else {
        assertThat(hits.count()).as("takes from the pool").isEqualTo(before + 1);
      }
      sessions.add(handle);
    }
    for (SessionWorkflow h : sessions) {
      h.close();
      WorkflowStub.fromTyped(h).getResult(SessionState.class);
    }
    assertThat(stack.sandboxesOf(stack.workerId)).as("closed sessions hold no sandbox").isEmpty();
  }
}
