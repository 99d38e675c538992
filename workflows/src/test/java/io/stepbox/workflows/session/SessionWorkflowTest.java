package io.stepbox.workflows.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.step.StepResult;
import io.stepbox.workflows.testkit.FakeWorld;
import io.stepbox.workflows.testkit.TestStack;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionWorkflowTest {
  private final CountDownLatch gate = new CountDownLatch(1);
  private final TestStack stack =
      TestStack.start(new FakeWorld().warmOn("worker-a").blockOn(gate), "worker-a");

  @AfterEach
  void stop() {
    gate.countDown();
    stack.close();
  }

  private SessionWorkflow start(String id, SessionInput input) {
    SessionWorkflow session = stack.session(id);
    WorkflowClient.start(session::run, input);
    return session;
  }

  @Test
  void concurrentExecsRunOneAtATimeInArrivalOrderEachFromThePreviousSnapshot() {
    SessionWorkflow session = start("s", SessionInput.of("img", "snap-base"));
    WorkflowStub stub = WorkflowStub.fromTyped(session);
    List<WorkflowUpdateHandle<StepResult>> handles = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      handles.add(
          stub.startUpdate(
              "exec", WorkflowUpdateStage.ACCEPTED, StepResult.class, ExecCommand.of("cmd " + i)));
    }
    gate.countDown();
    List<StepResult> results = handles.stream().map(WorkflowUpdateHandle::getResult).toList();

    assertThat(results)
        .extracting(StepResult::stepId)
        .containsExactly("exec-1", "exec-2", "exec-3", "exec-4", "exec-5");
    List<FakeWorld.Run> runs = stack.world.runs();
    assertThat(runs)
        .extracting(r -> r.request().command())
        .containsExactly("cmd 1", "cmd 2", "cmd 3", "cmd 4", "cmd 5");
    assertThat(runs.get(0).request().baseSnapshotId()).isEqualTo("snap-base");
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).request().baseSnapshotId()).isEqualTo(results.get(i - 1).snapshotId());
      assertThat(runs.get(i).request().warmSandboxId())
          .isEqualTo(results.get(i - 1).warmSandboxId());
    }
    assertThat(stack.world.maxInFlight()).isEqualTo(1);
    SessionState state = session.state();
    assertThat(state.snapshotId()).isEqualTo(results.get(4).snapshotId());
    assertThat(state.execCount()).isEqualTo(5);
    assertThat(state.lastResult()).isEqualTo(results.get(4));
  }

  @Test
  void execOptionsOverrideTimeoutEnvAndWorkdirAndAFailedExitStillAdvances() {
    SessionWorkflow session = start("s", SessionInput.of("img", null));
    gate.countDown();

    StepResult r =
        session.exec(
            new ExecCommand("make; exit 2", new ExecOptions(5_000L, Map.of("X", "1"), "/w")));

    assertThat(r.exitCode()).isEqualTo(2);
    FakeWorld.Run run = stack.world.runs().get(0);
    assertThat(run.request().limits().timeoutMillis()).isEqualTo(5_000);
    assertThat(run.request().env()).containsEntry("X", "1");
    assertThat(run.request().workdir()).isEqualTo("/w");
    assertThat(run.request().baseSnapshotId()).isNull();
    assertThat(session.state().snapshotId()).isEqualTo(r.snapshotId());
  }

  @Test
  void closeWaitsForEarlierExecsRefusesLaterOnesAndReleasesTheWarmSandbox() {
    SessionWorkflow session = start("s", SessionInput.of("img", null));
    WorkflowStub stub = WorkflowStub.fromTyped(session);
    WorkflowUpdateHandle<StepResult> first =
        stub.startUpdate(
            "exec", WorkflowUpdateStage.ACCEPTED, StepResult.class, ExecCommand.of("touch a"));
    WorkflowUpdateHandle<SessionState> close =
        stub.startUpdate("close", WorkflowUpdateStage.ACCEPTED, SessionState.class);

    assertThat(refusal(() -> session.exec(ExecCommand.of("ls"))))
        .isEqualTo("session s is closed (closed); start a new session");
    assertThat(refusal(session::fork))
        .isEqualTo("session s is closed (closed); start a new session");
    gate.countDown();
    StepResult r = first.getResult();
    SessionState closed = close.getResult();

    assertThat(closed.closed()).isTrue();
    assertThat(closed.endReason()).isEqualTo(SessionState.CLOSED);
    assertThat(closed.execCount()).isEqualTo(1);
    assertThat(closed.snapshotId()).isEqualTo(r.snapshotId());
    SessionState end = stub.getResult(SessionState.class);
    assertThat(end.snapshotId()).isEqualTo(r.snapshotId());
    assertThat(stack.world.runs()).hasSize(1);
    assertThat(stack.world.releases())
        .containsExactly(new FakeWorld.Release("worker-a", r.warmSandboxId()));
    assertThat(stack.world.held()).isEmpty();
  }

  @Test
  void validatorRefusesEmptyCommandsAndRelativeWorkdirs() {
    SessionWorkflow session = start("s", SessionInput.of("img", null));
    gate.countDown();

    assertThat(refusal(() -> session.exec(ExecCommand.of(" "))))
        .isEqualTo("command: must not be empty");
    assertThat(refusal(() -> session.exec(new ExecCommand("ls", new ExecOptions(null, null, "w")))))
        .isEqualTo("options.workdir: \"w\" must be an absolute path");
    assertThat(stack.world.runs()).isEmpty();
  }

  @Test
  void idleTimeoutEndsTheSessionKeepingItsSnapshot() {
    SessionWorkflow session =
        start("s", SessionInput.of("img", null).withLifetime(Duration.ofMinutes(10).toMillis(), 0));
    gate.countDown();
    StepResult r = session.exec(ExecCommand.of("touch a"));

    SessionState end = WorkflowStub.fromTyped(session).getResult(SessionState.class);

    assertThat(end.closed()).isTrue();
    assertThat(end.endReason()).isEqualTo(SessionState.IDLE);
    assertThat(end.snapshotId()).isEqualTo(r.snapshotId());
    assertThat(stack.world.held()).isEmpty();
  }

  @Test
  void forkStartsANewSessionFromTheCurrentSnapshot() {
    SessionWorkflow session = start("s", SessionInput.of("img", null));
    gate.countDown();
    StepResult first = session.exec(ExecCommand.of("touch a"));

    String forkId = session.fork();
    session.exec(ExecCommand.of("touch b"));
    SessionWorkflow fork = stack.existingSession(forkId);
    StepResult inFork = fork.exec(ExecCommand.of("touch c"));

    assertThat(forkId).isEqualTo("s-fork-1");
    assertThat(session.state().forkCount()).isEqualTo(1);
    FakeWorld.Run forkRun =
        stack.world.runs().stream()
            .filter(r -> r.request().taskId().equals(forkId))
            .findFirst()
            .orElseThrow();
    assertThat(forkRun.request().baseSnapshotId()).isEqualTo(first.snapshotId());
    assertThat(forkRun.request().warmSandboxId()).isNull();
    assertThat(fork.state().snapshotId()).isEqualTo(inFork.snapshotId());
    assertThat(session.close().closed()).as("the parent closes; the fork lives on").isTrue();
    assertThat(fork.state().closed()).isFalse();
  }

  @Test
  void continuesAsNewAfterNExecsCarryingSnapshotCountersAndWarmSandbox() {
    SessionWorkflow session = start("s", SessionInput.of("img", null).withLifetime(0, 2));
    String firstRun = WorkflowStub.fromTyped(session).getExecution().getRunId();
    gate.countDown();
    List<StepResult> results = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      results.add(stack.existingSession("s").exec(ExecCommand.of("step " + i)));
    }

    SessionState state = stack.existingSession("s").state();
    assertThat(state.execCount()).isEqualTo(5);
    assertThat(state.snapshotId()).isEqualTo(results.get(4).snapshotId());
    assertThat(results)
        .extracting(StepResult::stepId)
        .containsExactly("exec-1", "exec-2", "exec-3", "exec-4", "exec-5");
    List<FakeWorld.Run> runs = stack.world.runs();
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).request().baseSnapshotId()).isEqualTo(results.get(i - 1).snapshotId());
      assertThat(runs.get(i).request().warmSandboxId())
          .isEqualTo(results.get(i - 1).warmSandboxId());
    }
    assertThat(stack.client.fetchHistory("s", firstRun).getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    String latestRun = stack.client.fetchHistory("s").getWorkflowExecution().getRunId();
    assertThat(latestRun).isNotEqualTo(firstRun);
  }

  @Test
  void everyExecCarriesTheSessionsEgressPolicyAcrossContinueAsNew() {
    EgressPolicy egress = EgressPolicy.allowing(List.of("github.com"));
    SessionInput input =
        new SessionInput("img", null, null, null, null, null, null, null, 0, 1, null, egress);
    String firstRun = WorkflowStub.fromTyped(start("s", input)).getExecution().getRunId();
    gate.countDown();

    StepResult first = stack.existingSession("s").exec(ExecCommand.of("fetch github.com"));
    StepResult second = stack.existingSession("s").exec(ExecCommand.of("fetch pypi.org"));

    assertThat(stack.world.runs())
        .extracting(r -> r.request().egress())
        .containsExactly(egress, egress);
    assertThat(first.egress().allowed()).isEqualTo(1);
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.egress().deniedHosts()).containsExactly("pypi.org");
    assertThat(stack.client.fetchHistory("s").getWorkflowExecution().getRunId())
        .as("the second exec ran after continue-as-new")
        .isNotEqualTo(firstRun);
  }

  private static String refusal(Runnable update) {
    WorkflowUpdateException e = catchThrowableOfType(WorkflowUpdateException.class, update::run);
    assertThat(e).isNotNull();
    return ((ApplicationFailure) e.getCause()).getOriginalMessage();
  }
}
