package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecResultTest {
  @Test
  void shellExitCodesFollowTimeoutAndSigkill() {
    assertThat(ExecResult.of(result(ExecOutcome.EXITED, 7, null)).shellExitCode()).isEqualTo(7);
    assertThat(ExecResult.of(result(ExecOutcome.TIMED_OUT, -1, null)).shellExitCode())
        .isEqualTo(124);
    assertThat(ExecResult.of(result(ExecOutcome.OOM_KILLED, 137, null)).shellExitCode())
        .isEqualTo(137);
    assertThat(ExecResult.of(result(ExecOutcome.EXITED, 0, null)).succeeded()).isTrue();
    assertThat(ExecResult.of(result(ExecOutcome.TIMED_OUT, 0, null)).succeeded()).isFalse();
  }

  @Test
  void warmIsWhatTheWorkerReported() {
    ExecResult warm =
        ExecResult.of(result(ExecOutcome.EXITED, 0, new StepPhases(0, 0, 40, 60, 120), true));
    assertThat(warm.warm()).isTrue();
    assertThat(warm.duration()).isEqualTo(Duration.ofMillis(120));
    ExecResult restored =
        ExecResult.of(result(ExecOutcome.EXITED, 0, new StepPhases(400, 300, 40, 60, 520), false));
    assertThat(restored.warm()).isFalse();
    ExecResult fastButCold =
        ExecResult.of(result(ExecOutcome.EXITED, 0, new StepPhases(0, 0, 40, 60, 120), false));
    assertThat(fastButCold.warm()).as("a sandbox that took under 1 ms is not warm").isFalse();
  }

  @Test
  void carriesTheStepsFields() {
    ExecResult r = ExecResult.of(result(ExecOutcome.EXITED, 3, null));
    assertThat(r.stepId()).isEqualTo("exec-1");
    assertThat(r.outcome()).isEqualTo(ExecOutcome.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdoutTail()).isEqualTo("out");
    assertThat(r.stderrTail()).isEmpty();
    assertThat(r.snapshotId()).isEqualTo("snap");
  }

  @Test
  void egressIsTheStepsSummaryOrEmpty() {
    assertThat(ExecResult.of(result(ExecOutcome.EXITED, 0, null)).egress())
        .isSameAs(EgressSummary.EMPTY);
    EgressSummary summary =
        new EgressSummary(
            2,
            1,
            10,
            20,
            0,
            List.of(new EgressDenial("evil.test", 443, "NOT_ALLOWED", "not on the list")),
            "log");
    StepResult r = result(ExecOutcome.EXITED, 1, null);
    StepResult withEgress =
        new StepResult(
            r.taskId(), r.stepId(), r.approach(), r.outcome(), r.exitCode(), r.stdoutTail(),
            r.stderrTail(), r.stdoutRef(), r.stderrRef(), r.stdoutBytes(), r.stderrBytes(),
            r.snapshotId(), r.snapshotBytes(), r.uploadedBytes(), r.fileCount(), r.phases(),
            r.warmQueue(), r.warmSandboxId(), r.warm(), summary);
    assertThat(ExecResult.of(withEgress).egress()).isEqualTo(summary);
    assertThat(ExecResult.of(withEgress).egress().deniedHosts()).containsExactly("evil.test");
  }

  static StepResult result(ExecOutcome outcome, int exit, StepPhases phases) {
    return result(outcome, exit, phases, false);
  }

  static StepResult result(ExecOutcome outcome, int exit, StepPhases phases, boolean warm) {
    return new StepResult(
        "s", "exec-1", "default", outcome, exit, "out", null, "o", "e", 3, 0, "snap", 0, 0, 0,
        phases, null, null, warm);
  }
}
