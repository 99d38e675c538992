package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepbox.client.AlreadyStartedException;
import io.stepbox.client.AwaitTimeoutException;
import io.stepbox.client.InvalidTaskSpecException;
import io.stepbox.client.NotFoundException;
import io.stepbox.client.RefusedException;
import io.stepbox.client.SessionHandle;
import io.stepbox.client.SessionOptions;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.StepboxClientOptions;
import io.stepbox.client.TaskHandle;
import io.stepbox.examples.AgentLoopExample;
import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client and its example end to end: temporal CLI dev server, gVisor, SeaweedFS S3 and a
 * real worker (StackFixture).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AgentLoopExampleIT {
  @TempDir static Path dir;
  static StackFixture stack;
  static StepboxClient client;

  @BeforeAll
  static void start() throws Exception {
    stack = new StackFixture(dir).startWorker();
    client =
        StepboxClient.newInstance(
            stack.client(), StepboxClientOptions.newBuilder().setBlobStore(stack.blobs).build());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    stack.close();
  }

  @Test
  void theExampleLoopFixesForksAndGetsItsTaskApproved() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    AgentLoopExample.Outcome o =
        AgentLoopExample.run(client, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(o.firstCheck()).as("the first answer is wrong").isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("check failed (wrong: 41)");
    assertThat(o.fixedCheck().exitCode()).as("the check after the fix").isZero();
    assertThat(o.fixedCheck().snapshotId()).isNotBlank();
    assertThat(o.fixedCheck().warm()).as("the next exec of a session reuses its sandbox").isTrue();
    assertThat(o.forkSaw()).as("the fork sees the parent's file").isEqualTo("42\n");
    assertThat(o.parentSeesForkFile()).as("the parent does not see the fork's file").isEqualTo(1);
    assertThat(o.task()).isEqualTo(TaskState.COMPLETED);
    assertThat(o.buildOutput()).isEqualTo("notes for v1\n");
  }

  @Test
  void rejectEndsTheTaskAndRefusalsAndTimeoutsAreTyped() throws Exception {
    Path file = Files.writeString(dir.resolve("gated.yaml"), AgentLoopExample.TASK);
    TaskHandle task = client.startTask(file, "gated-reject");
    TaskStatus waiting = task.awaitApprovalRequest(Duration.ofMinutes(3));
    assertThat(waiting.status()).isEqualTo(TaskState.WAITING_APPROVAL);
    assertThat(waiting.currentStep()).isEqualTo("publish");

    RefusedException refused =
        catchThrowableOfType(
            RefusedException.class, () -> task.approve("build", "looks fine", "tester"));
    assertThat(refused.reason()).contains("step \"build\" has no approval gate");

    AwaitTimeoutException timeout =
        catchThrowableOfType(
            AwaitTimeoutException.class, () -> task.awaitResult(Duration.ofMillis(300)));
    assertThat(timeout.taskId()).isEqualTo("gated-reject");
    assertThat(task.status().status()).as("the task goes on").isEqualTo(TaskState.WAITING_APPROVAL);

    task.reject("publish", "not today", "tester");
    TaskStatus end = task.awaitResult(Duration.ofMinutes(1));
    assertThat(end.status()).isEqualTo(TaskState.REJECTED);
    assertThat(end.findStep("publish").orElseThrow().approval().by()).isEqualTo("tester");
    assertThatThrownBy(() -> task.approve("publish", "too late", "tester"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("has ended: REJECTED");
  }

  @Test
  void invalidSpecsUnknownIdsAndClosedSessionsAreTyped() {
    TaskSpec bad =
        new TaskSpec(
            "bad",
            null,
            null,
            TaskSpec.NO_NETWORK,
            null,
            null,
            null,
            null,
            List.of(StepSpec.of("a", "")),
            null);
    InvalidTaskSpecException invalid =
        catchThrowableOfType(
            InvalidTaskSpecException.class, () -> client.startTask(bad, "never-started"));
    assertThat(invalid.errors()).extracting(SpecError::path).contains("image", "steps[0].run");
    assertThatThrownBy(() -> client.task("never-started").status())
        .as("nothing was started")
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("does not exist");

    SessionOptions options = SessionOptions.newBuilder("stepbox/base:busybox").setId("dup").build();
    SessionHandle session = client.openSession(options);
    assertThatThrownBy(() -> client.openSession(options))
        .isInstanceOf(AlreadyStartedException.class);
    assertThat(session.close().closed()).isTrue();
    assertThatThrownBy(() -> session.exec("true"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("session dup");
  }
}
