package io.stepbox.cli;

import io.stepbox.workflows.task.TaskMemo;
import java.util.ArrayList;
import java.util.List;

/** Tables of visibility listings for people: tasks, approvals and schedules. */
final class VisibilityFormat {
  private static final String NONE = "-";

  private VisibilityFormat() {}

  /** A row per task: id, name, status, current step, start and end time. */
  static List<String> tasks(List<TaskRow> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(List.of("ID", "NAME", "STATUS", "STEP", "STARTED", "ENDED"));
    for (TaskRow r : rows) {
      cells.add(
          List.of(
              r.id(),
              orNone(r.name()),
              r.status(),
              orNone(r.currentStep()),
              orNone(r.startTime()),
              orNone(r.closeTime())));
    }
    return columns(cells);
  }

  /** A paragraph per waiting task: what it waits for, what the step would run, how to decide. */
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
              + " waits for approval of step "
              + r.step()
              + ", started "
              + r.startTime());
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

  /** Cells padded to the widest of each column, two spaces apart, trailing blanks cut. */
  static List<String> columns(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }
}
