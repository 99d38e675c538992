package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which attempt's output {@code TaskHandle.openOutput} reads, and why there is none. */
class AttemptsTest {
  private static AttemptStatus attempt(String approach, String out, String error) {
    return new AttemptStatus(
        approach,
        "EXITED",
        1,
        "snap",
        0,
        0,
        "",
        "",
        out,
        out == null ? null : out + "-err",
        StepPhases.NONE,
        10,
        false,
        error);
  }

  private static final TaskStatus TASK =
      new TaskStatus(
          "t-1",
          "fix",
          TaskState.FAILED,
          "test",
          List.of(
              new StepStatus(
                  "test",
                  StepState.FAILED,
                  "fix",
                  1,
                  List.of(
                      attempt("default", "out-1", null),
                      attempt("fix", "out-2", null),
                      attempt("fix", null, "the worker died")),
                  null,
                  0,
                  null),
              StepStatus.pending("publish", null)),
          null,
          0,
          List.of(),
          null,
          0,
          0);

  @Test
  void theDecidingAttemptOrTheLastOfAnApproach() {
    assertThat(Attempts.pick(TASK, "test", "default").stdoutRef()).isEqualTo("out-1");
    assertThat(Attempts.pick(TASK, "test", null).error()).isEqualTo("the worker died");
    assertThat(Attempts.ref(Attempts.pick(TASK, "test", "default"), "test", OutputKind.STDERR))
        .isEqualTo("out-1-err");
  }

  @Test
  void saysWhatExistsWhenNothingMatches() {
    assertThatThrownBy(() -> Attempts.pick(TASK, "deploy", null))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("task t-1 has no step 'deploy'; its steps are test, publish");
    assertThatThrownBy(() -> Attempts.pick(TASK, "publish", null))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("step publish of task t-1 has not run yet (it is PENDING)");
    assertThatThrownBy(() -> Attempts.pick(TASK, "test", "other"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("step test has no attempt of approach 'other'; it tried default, fix");
    AttemptStatus died = Attempts.pick(TASK, "test", null);
    assertThatThrownBy(() -> Attempts.ref(died, "test", OutputKind.STDOUT))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("the attempt of step test left no output: the worker died");
  }
}
