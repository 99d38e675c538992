package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
            null,
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

  @Test
  void anEgressApprovalNamesTheDeniedHosts() throws Exception {
    ApprovalRow row =
        new ApprovalRow(
            "fetch-1",
            null,
            "fetch",
            "stepbox/python:bookworm",
            List.of(new TaskMemo.Command("default", "pip install calc")),
            List.of("files.test", "git.test:8443"),
            "2026-01-01T00:00:00Z",
            "stepbox approve fetch-1 --step fetch",
            "stepbox reject fetch-1 --step fetch");
    assertThat(VisibilityFormat.approvals(List.of(row)))
        .containsExactly(
            "task fetch-1 waits to widen step fetch's allow list, started 2026-01-01T00:00:00Z",
            "  denied hosts (approving allows them and reruns the step): files.test, git.test:8443",
            "  image: stepbox/python:bookworm",
            "  would run (default): pip install calc",
            "  approve: stepbox approve fetch-1 --step fetch",
            "  reject:  stepbox reject fetch-1 --step fetch");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(json.writeValueAsString(row)).path("hosts").toString())
        .isEqualTo("[\"files.test\",\"git.test:8443\"]");
    ApprovalRow gate =
        new ApprovalRow("g", null, "s", null, List.of(), null, "t", "approve", "reject");
    assertThat(json.readTree(json.writeValueAsString(gate)).has("hosts"))
        .as("a gate's row has no hosts")
        .isFalse();
  }
}
