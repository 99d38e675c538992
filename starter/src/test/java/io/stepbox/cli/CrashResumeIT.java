package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.SandboxLabels;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and restart: a worker in a child JVM is SIGKILLed in the middle of a step whose command
 * streams output on both streams, and a new worker (which reaps the first one's sandboxes, its pool's
 * among them) finishes the task with the same workspace as an uninterrupted run; the Temporal server is killed
 * and restarted on the same SQLite file in the middle of a task, which completes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CrashResumeIT {
  static final String SPEC =
      """
      name: crash
      image: stepbox/base:busybox
      steps:
        - id: prepare
          run: mkdir /w && echo one > /w/a
        - id: slow
          run: >-
            echo attempt >> /w/log; touch /w/started-$RANDOM; rm -f /w/started-*;
            for i in $(seq 60); do echo tick $i; echo tock $i >&2; sleep 0.1; done;
            echo two > /w/b
        - id: finish
          run: cat /w/a /w/b /w/log > /w/final
      exports: [/w]
      """;

  @TempDir Path dir;
  StackFixture stack;

  @BeforeEach
  void start() throws Exception {
    stack = new StackFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  AgentTaskWorkflow startTask(String id) {
    return stack.startTask(id, SPEC);
  }

  Process childWorker(String workerId) throws Exception {
    return stack.childWorker(workerId);
  }

  /**
   * Whether the slow step's command is running: a sandbox of the task (a fresh one, or the previous
   * step's kept warm, which carries that step's label) has the line the command writes first.
   */
  boolean stepSandboxRunning(String taskId) {
    return stack.runtime.list().stream()
        .filter(s -> taskId.equals(s.labels().get(SandboxLabels.TASK)) && s.running())
        .anyMatch(
            s -> {
              try {
                var probe = io.stepbox.sandbox.ExecRequest.shell("grep -q attempt /w/log");
                return stack.runtime.exec(stack.runtime.find(s.id()), probe).exitCode() == 0;
              } catch (RuntimeException e) {
                return false; // the sandbox went away meanwhile
              }
            });
  }

  /** Path -> sha-256 of each regular file in the task's export. */
  Map<String, String> exported(TaskStatus s) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (InputStream in = stack.blobs.get(s.exportsRef()).orElseThrow();
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          files.put(
              e.getName(),
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(tar.readAllBytes())));
        }
      }
    }
    return files;
  }

  @Test
  void aWorkerKilledMidStepIsReplacedAndTheTaskEndsAsIfNothingHappened() throws Exception {
    String workerId = "crash-" + stack.workerId;
    Process first = childWorker(workerId);
    AgentTaskWorkflow task = startTask("crashed");
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!stepSandboxRunning("crashed") && System.nanoTime() < deadline) {
        Thread.sleep(100); // polling dockerd for the step's sandbox
      }
      assertThat(stepSandboxRunning("crashed"))
          .as("the slow step started; task: %s", task.status())
          .isTrue();
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL in the middle of the step
    }

    Process second = childWorker(workerId);
    try {
      TaskStatus crashed =
          WorkflowStub.fromTyped(task).getResult(3, TimeUnit.MINUTES, TaskStatus.class);
      assertThat(crashed.status())
          .as(String.valueOf(crashed.error()))
          .isEqualTo(TaskState.COMPLETED);
      TaskStatus clean =
          WorkflowStub.fromTyped(startTask("uninterrupted"))
              .getResult(3, TimeUnit.MINUTES, TaskStatus.class);
      assertThat(exported(crashed)).isEqualTo(exported(clean)).containsKey("w/final");
      assertThat(stack.runtime.list())
          .as("containers of the crashed task")
          .noneMatch(s -> "crashed".equals(s.labels().get(SandboxLabels.TASK)));
      assertThat(
              stack.allOf(workerId).stream()
                  .map(s -> s.labels().get(SandboxLabels.WORKER_RUN))
                  .distinct())
          .as("runs of %s with sandboxes: the killed one's (its pool's too) were reaped", workerId)
          .hasSizeLessThanOrEqualTo(1);
      try (var spools =
          java.nio.file.Files.newDirectoryStream(
              Path.of(System.getProperty("java.io.tmpdir")), "stepbox-output-" + workerId + "-*")) {
        assertThat(spools)
            .as("output spools the killed worker left, removed by the next")
            .isEmpty();
      }
    } finally {
      second.destroy();
      second.waitFor(90, TimeUnit.SECONDS);
      stack.allOf(workerId).forEach(s -> stack.runtime.destroy(stack.runtime.find(s.id())));
    }
  }

  @Test
  void theServerRestartedMidTaskOnTheSameFileAndTheTaskCompletes() throws Exception {
    stack.startWorker();
    AgentTaskWorkflow task = startTask("restarted");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!stepSandboxRunning("restarted") && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling dockerd for the step's sandbox
    }
    stack.server.kill();
    stack.server.start();
    TaskStatus done = WorkflowStub.fromTyped(task).getResult(3, TimeUnit.MINUTES, TaskStatus.class);
    assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(TaskState.COMPLETED);
    assertThat(done.steps()).extracting(s -> s.id()).containsExactly("prepare", "slow", "finish");
  }
}
