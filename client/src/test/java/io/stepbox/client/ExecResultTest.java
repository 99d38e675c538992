package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepResult;
import java.time.Duration;
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

  static StepResult result(ExecOutcome outcome, int exit, StepPhases phases) {
    return result(outcome, exit, phases, false);
  }

  static StepResult result(ExecOutcome outcome, int exit, StepPhases phases, boolean warm) {
    return new StepResult(
        "s", "exec-1", "default", outcome, exit, "out", null, "o", "e", 3, 0, "snap", 0, 0, 0,
        phases, null, null, warm);
  }
}
