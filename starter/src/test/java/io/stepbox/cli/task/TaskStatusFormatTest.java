package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressSummary;
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

  private static final EgressSummary DENIED_TWO =
      new EgressSummary(
          3,
          4,
          2048,
          3 << 20,
          1,
          List.of(
              new EgressDenial("files.test", 443, "NOT_ALLOWED", "files.test:443 is not allowed"),
              new EgressDenial("10.0.0.1", 80, "IP_LITERAL", null)),
          "outputs/t-1/fetch/egress");

  private static AttemptStatus withEgress(AttemptStatus a, EgressSummary egress) {
    return new AttemptStatus(
        a.approach(), a.outcome(), a.exitCode(), a.snapshot(), a.snapshotBytes(),
        a.uploadedBytes(), a.stdoutTail(), a.stderrTail(), a.stdoutRef(), a.stderrRef(),
        a.phases(), a.durationMillis(), a.warm(), a.error(), egress);
  }

  @Test
  void aStepThatUsedTheProxyShowsItsCountsAndFirstDenialsUnderItsRow() {
    StepStatus fetch =
        new StepStatus(
            "fetch",
            StepState.FAILED,
            "default",
            1,
            List.of(withEgress(attempt("default", 1, null, 900), DENIED_TWO)),
            null,
            900,
            null);
    List<String> table = TaskStatusFormat.table(task(TaskState.FAILED, "fetch", CLONE, fetch));
    assertThat(table.subList(2, table.size()))
        .containsExactly(
            table.get(2),
            "fetch          FAILED            default            1    900ms",
            "  egress: 3 allowed, 4 denied, 2.0 KiB out, 3.0 MiB in, 1 with a secret",
            "    denied files.test:443 (NOT_ALLOWED): files.test:443 is not allowed",
            "    denied 10.0.0.1:80 (IP_LITERAL)",
            "    every request: stepbox logs t-1 --step fetch --egress");
    assertThat(table.get(2)).startsWith("clone").doesNotContain("egress");
  }

  @Test
  void aStepWithoutDenialsShowsOnlyItsCounts() {
    EgressSummary clean = new EgressSummary(2, 0, 10, 20, 0, List.of(), "log");
    assertThat(
            TaskStatusFormat.egress(
                "t-1", "fetch", withEgress(attempt("default", 0, "s", 10), clean)))
        .containsExactly("  egress: 2 allowed, 0 denied, 10 B out, 20 B in");
    assertThat(TaskStatusFormat.egress("t-1", "fetch", attempt("default", 0, "s", 10))).isEmpty();
  }

  @Test
  void aStepWaitingToWidenItsAllowListNamesTheHostsAndTheCommand() {
    StepStatus fetch =
        new StepStatus(
            "fetch",
            StepState.WAITING_APPROVAL,
            "default",
            1,
            List.of(withEgress(attempt("default", 1, null, 900), DENIED_TWO)),
            null,
            900,
            null,
            ApprovalStatus.egress(List.of("files.test", "git.test:8443"), 5));
    TaskStatus waiting = task(TaskState.WAITING_APPROVAL, "fetch", CLONE, fetch);
    String hint =
        "step fetch's requests to files.test, git.test:8443 were denied; to allow them and"
            + " rerun it: stepbox approve t-1 --step fetch   (or: stepbox reject ...)";
    assertThat(TaskStatusFormat.approvalHint(waiting)).isEqualTo(hint);
    assertThat(TaskStatusFormat.table(waiting)).last().isEqualTo(hint);
    assertThat(
            TaskStatusFormat.approvalHint(
                task(TaskState.WAITING_APPROVAL, "publish", CLONE, TEST, PUBLISH)))
        .isEqualTo(
            "waiting for approval of step publish: stepbox approve t-1 --step publish"
                + "   (or: stepbox reject ...)");
  }

  @Test
  void durationsReadLikePeopleWriteThem() {
    assertThat(TaskStatusFormat.duration(850)).isEqualTo("850ms");
    assertThat(TaskStatusFormat.duration(1234)).isEqualTo("1.2s");
    assertThat(TaskStatusFormat.duration(42_000)).isEqualTo("42s");
    assertThat(TaskStatusFormat.duration(185_000)).isEqualTo("3m5s");
  }
}
