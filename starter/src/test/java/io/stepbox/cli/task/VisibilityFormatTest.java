package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.task.TaskMemo;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisibilityFormatTest {

  @Test
  void tasksAreAlignedColumnsWithADashForWhatIsMissing() {
    List<String> lines =
        VisibilityFormat.tasks(
            List.of(
                new TaskRow("fix-1", "fix", "COMPLETED", null, "2026-01-01T00:00:00Z", "t2"),
                new TaskRow("gate-long-id", null, "WAITING_APPROVAL", "publish", "t3", null)));
    assertThat(lines)
        .containsExactly(
            "ID            NAME  STATUS            STEP     STARTED               ENDED",
            "fix-1         fix   COMPLETED         -        2026-01-01T00:00:00Z  t2",
            "gate-long-id  -     WAITING_APPROVAL  publish  t3                    -");
  }

  @Test
  void anApprovalSaysWhatWouldRunAndHowToDecide() {
    ApprovalRow row =
        new ApprovalRow(
            "gate-1",
            "gated",
            "publish",
            "stepbox/base:busybox",
            List.of(new TaskMemo.Command("default", "git push")),
            "2026-01-01T00:00:00Z",
            "stepbox approve gate-1 --step publish",
            "stepbox reject gate-1 --step publish");
    assertThat(VisibilityFormat.approvals(List.of(row)))
        .containsExactly(
            "task gate-1 (gated) waits for approval of step publish, started 2026-01-01T00:00:00Z",
            "  image: stepbox/base:busybox",
            "  would run (default): git push",
            "  approve: stepbox approve gate-1 --step publish",
            "  reject:  stepbox reject gate-1 --step publish");
  }
}
