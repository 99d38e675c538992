package io.stepbox.cli.task;

import io.stepbox.cli.EgressText;
import io.stepbox.cli.Text;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Task status for people: the status table and the progress lines of {@code run --wait}. */
final class TaskStatusFormat {
  private static final String ROW = "%-14s %-17s %-14s %5s %8s  %s";

  private TaskStatusFormat() {}

  /** A heading line, one row per step, then what ended the task or what it waits for. */
  static List<String> table(TaskStatus s) {
    List<String> lines = new ArrayList<>();
    lines.add(heading(s));
    lines.add(
        String.format(Locale.ROOT, ROW, "STEP", "STATUS", "APPROACH", "EXIT", "TIME", "SNAPSHOT")
            .stripTrailing());
    for (StepStatus step : s.steps()) {
      lines.add(row(step.id(), step.status().name(), step));
      step.finalAttempt().ifPresent(a -> lines.addAll(egress(s.id(), step.id(), a)));
    }
    if (s.error() != null) {
      lines.add("error: " + s.error());
    }
    if (s.exportsRef() != null) {
      lines.add("exports: " + s.exportsRef() + " (" + Units.formatBytes(s.exportsBytes()) + ")");
    }
    if (!s.exportsMissing().isEmpty()) {
      lines.add("exports missing: " + String.join(", ", s.exportsMissing()));
    }
    if (s.status() == TaskState.WAITING_APPROVAL) {
      lines.add(approvalHint(s));
    }
    return lines;
  }

  /**
   * Under a step's row: what its deciding attempt did through the egress proxy, its first denials
   * and where the whole log is; nothing when the attempt had no egress.
   */
  static List<String> egress(String taskId, String stepId, AttemptStatus a) {
    EgressSummary e = a.egress();
    if (e == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add("  egress: " + EgressText.counts(e));
    e.firstDenials().forEach(d -> lines.add("    denied " + EgressText.denial(d) + message(d)));
    if (e.denied() > 0 && e.logRef() != null) {
      lines.add("    every request: stepbox logs " + taskId + " --step " + stepId + " --egress");
    }
    return lines;
  }

  private static String message(EgressDenial d) {
    return d.message() == null ? "" : ": " + d.message();
  }

  static String heading(TaskStatus s) {
    String where =
        s.currentStep() == null || s.status() == TaskState.COMPLETED
            ? ""
            : " at step " + s.currentStep();
    return "task "
        + s.id()
        + (s.name() == null ? "" : " (" + s.name() + ")")
        + ": "
        + s.status()
        + where;
  }

  /** The last line of a followed task: how it ended, and after how long. */
  static String ended(TaskStatus s) {
    long took = s.endedAtMillis() - s.startedAtMillis();
    return "task "
        + s.id()
        + " ended: "
        + s.status()
        + (s.startedAtMillis() > 0 && took >= 0 ? " after " + duration(took) : "")
        + (s.error() == null ? "" : " (" + s.error() + ")");
  }

  /**
   * What to run to let the waiting step go on: past its approval gate, or with the hosts its
   * egress approval asks for added to its allow list.
   */
  static String approvalHint(TaskStatus s) {
    String step = s.currentStep();
    String approve = "stepbox approve " + s.id() + " --step " + step;
    List<String> hosts =
        s.findStep(step).map(StepStatus::egressHostsAwaitingApproval).orElse(List.of());
    if (hosts.isEmpty()) {
      return "waiting for approval of step "
          + step
          + ": "
          + approve
          + "   (or: stepbox reject ...)";
    }
    return "step "
        + step
        + "'s requests to "
        + String.join(", ", hosts)
        + " were denied; to allow them and rerun it: "
        + approve
        + "   (or: stepbox reject ...)";
  }

  /**
   * One line per change between two polls of the same task: every new attempt that did not decide
   * its step (a failed approach), and every step whose status or approach changed.
   *
   * @param before the previous poll; null before the first
   */
  static List<String> changes(TaskStatus before, TaskStatus after) {
    List<String> lines = new ArrayList<>();
    for (StepStatus now : after.steps()) {
      StepStatus then = before == null ? null : before.findStep(now.id()).orElse(null);
      int seen = then == null ? 0 : then.attempts().size();
      List<AttemptStatus> attempts = now.attempts();
      int decisive = isFinal(now.status()) ? attempts.size() - 1 : attempts.size();
      for (int i = seen; i < decisive; i++) {
        lines.add(attemptRow(now.id(), attempts.get(i)));
      }
      boolean changed =
          then == null
              ? now.status() != StepState.PENDING
              : then.status() != now.status() || !Objects.equals(then.approach(), now.approach());
      if (changed) {
        lines.add(row(now.id(), now.status().name(), now));
      }
    }
    return lines;
  }

  private static boolean isFinal(StepState s) {
    return s == StepState.SUCCEEDED
        || s == StepState.FAILED
        || s == StepState.REJECTED
        || s == StepState.SKIPPED;
  }

  private static String row(String id, String status, StepStatus step) {
    boolean ran = isFinal(step.status()) && step.exitCode() != null;
    AttemptStatus last = step.finalAttempt().orElse(null);
    String snapshot =
        step.snapshot() == null || last == null
            ? ""
            : step.snapshot() + " (" + Units.formatBytes(last.snapshotBytes()) + ")";
    return String.format(
            Locale.ROOT,
            ROW,
            id,
            status,
            step.approach() == null ? "" : step.approach(),
            ran ? step.exitCode().toString() : "",
            ran ? duration(step.durationMillis()) : "",
            snapshot)
        .stripTrailing();
  }

  private static String attemptRow(String stepId, AttemptStatus a) {
    String exit =
        a.exitCode() == null || AttemptStatus.ERROR.equals(a.outcome())
            ? ""
            : a.exitCode().toString();
    String what =
        AttemptStatus.ERROR.equals(a.outcome())
            ? a.error()
            : a.snapshot() == null
                ? ""
                : a.snapshot() + " (" + Units.formatBytes(a.snapshotBytes()) + ")";
    return String.format(
            Locale.ROOT,
            ROW,
            stepId,
            "EXITED".equals(a.outcome()) ? "attempt failed" : "attempt " + a.outcome(),
            a.approach(),
            exit,
            duration(a.durationMillis()),
            what == null ? "" : what)
        .stripTrailing();
  }

  /** {@code 850ms}, {@code 1.2s}, {@code 42s}, {@code 3m5s}. */
  static String duration(long millis) {
    return Text.duration(millis);
  }
}
