package io.stepbox.cli.task;

import io.stepbox.cli.Text;
import io.stepbox.workflows.task.TaskMemo;
import java.util.ArrayList;
import java.util.List;

/** Tables of visibility listings for people: tasks, approvals and schedules. */
final class VisibilityFormat {
  private VisibilityFormat() {}

  /** A row per task: id, name, status, current step, start and end time. */
  static List<String> tasks(List<TaskRow> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(List.of("ID", "NAME", "STATUS", "STEP", "STARTED", "ENDED"));
    for (TaskRow r : rows) {
      cells.add(
          List.of(
              r.id(),
              Text.orNone(r.name()),
              r.status(),
              Text.orNone(r.currentStep()),
              Text.orNone(r.startTime()),
              Text.orNone(r.closeTime())));
    }
    return Text.columns(cells);
  }

  /**
   * A paragraph per waiting task: what it waits for (and for an egress approval, the denied
   * hosts), what the step would run, how to decide.
   */
  static List<String> approvals(List<ApprovalRow> rows) {
    List<String> lines = new ArrayList<>();
    for (ApprovalRow r : rows) {
      if (!lines.isEmpty()) {
        lines.add("");
      }
      lines.add(
          "task "
              + r.id()
              + (r.name() == null ? "" : " (" + r.name() + ")")
              + (r.hosts() == null ? " waits for approval of step " : " waits to widen step ")
              + r.step()
              + (r.hosts() == null ? "" : "'s allow list")
              + ", started "
              + r.startTime());
      if (r.hosts() != null) {
        lines.add(
            "  denied hosts (approving allows them and reruns the step): "
                + String.join(", ", r.hosts()));
      }
      if (r.image() != null) {
        lines.add("  image: " + r.image());
      }
      for (TaskMemo.Command c : r.commands()) {
        lines.add("  would run (" + c.approach() + "): " + c.run());
      }
      lines.add("  approve: " + r.approve());
      lines.add("  reject:  " + r.reject());
    }
    return lines;
  }

}
