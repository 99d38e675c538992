package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.task.ApprovalStatus;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status table and the progress lines of {@code run --wait}. */
class TaskStatusFormatTest {
  static AttemptStatus attempt(String approach, int exit, String snapshot, long ms) {
    return new AttemptStatus(
        approach,
        "EXITED",
        exit,
        snapshot,
        2048,
        1024,
        "",
        "",
        "o",
        "e",
        StepPhases.NONE,
        ms,
        false,
        null);
  }

  private static final StepStatus CLONE =
      new StepStatus(
          "clone",
          StepState.SUCCEEDED,
          "default",
          0,
          List.of(attempt("default", 0, "snap-1", 1200)),
          "snap-1",
          1200,
          null);
  private static final StepStatus TEST =
      new StepStatus(
          "test",
          StepState.SUCCEEDED,
          "fix",
          0,
          List.of(attempt("default", 1, "snap-2", 800), attempt("fix", 0, "snap-3", 900)),
          "snap-3",
          1700,
          null);
  private static final StepStatus PUBLISH =
      new StepStatus(
          "publish",
          StepState.WAITING_APPROVAL,
          null,
          null,
          List.of(),
          null,
          0,
          ApprovalStatus.pending(0, "reject").requested(5));

  private static TaskStatus task(TaskState state, String current, StepStatus... steps) {
    return new TaskStatus(
        "t-1", "demo", state, current, List.of(steps), null, 0, List.of(), null, 1, 0);
  }

  @Test
  void tableHasARowPerStepAndSaysWhatToDoNext() {
    List<String> table =
        TaskStatusFormat.table(task(TaskState.WAITING_APPROVAL, "publish", CLONE, TEST, PUBLISH));
    assertThat(table.get(0)).isEqualTo("task t-1 (demo): WAITING_APPROVAL at step publish");
    assertThat(table.get(1)).startsWith("STEP").contains("STATUS", "APPROACH", "EXIT", "SNAPSHOT");
    assertThat(table.get(2))
        .matches("clone +SUCCEEDED +default +0 +1\\.2s +snap-1 \\(2\\.0 KiB\\)");
    assertThat(table.get(3)).matches("test +SUCCEEDED +fix +0 +1\\.7s +snap-3 \\(2\\.0 KiB\\)");
    assertThat(table.get(4)).matches("publish +WAITING_APPROVAL");
    assertThat(table.get(5))
        .startsWith("waiting for approval of step publish: stepbox approve t-1 --step publish");
  }

  @Test
  void tableOfAFailedTaskShowsTheError() {
    TaskStatus failed =
        new TaskStatus(
            "t-2",
            null,
            TaskState.FAILED,
            "clone",
            List.of(),
            null,
            0,
            List.of("/out"),
            "export failed: disk full",
            1,
            2);
    assertThat(TaskStatusFormat.table(failed))
        .contains(
            "task t-2: FAILED at step clone",
            "error: export failed: disk full",
            "exports missing: /out");
  }

  @Test
  void changesPrintFailedAttemptsAndStatusChangesOnce() {
    TaskStatus first =
        task(
            TaskState.RUNNING,
            "clone",
            new StepStatus("clone", StepState.RUNNING, "default", null, List.of(), null, 0, null),
            pending("test"));
    assertThat(TaskStatusFormat.changes(null, first))
        .hasSize(1)
        .first()
        .asString()
        .matches("clone +RUNNING +default");

    TaskStatus later = task(TaskState.WAITING_APPROVAL, "publish", CLONE, TEST, PUBLISH);
    List<String> lines = TaskStatusFormat.changes(first, later);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .matches("clone +SUCCEEDED +default +0 +1\\.2s +snap-1 \\(2\\.0 KiB\\)");
    assertThat(lines.get(1))
        .matches("test +attempt failed +default +1 +800ms +snap-2 \\(2\\.0 KiB\\)");
    assertThat(lines.get(2)).matches("test +SUCCEEDED +fix +0 +1\\.7s +snap-3 \\(2\\.0 KiB\\)");
    assertThat(lines.get(3)).matches("publish +WAITING_APPROVAL");
    assertThat(TaskStatusFormat.changes(later, later)).isEmpty();
  }

  private static StepStatus pending(String id) {
    return StepStatus.pending(id, null);
  }

  @Test
  void durationsReadLikePeopleWriteThem() {
    assertThat(TaskStatusFormat.duration(850)).isEqualTo("850ms");
    assertThat(TaskStatusFormat.duration(1234)).isEqualTo("1.2s");
    assertThat(TaskStatusFormat.duration(42_000)).isEqualTo("42s");
    assertThat(TaskStatusFormat.duration(185_000)).isEqualTo("3m5s");
  }
}
