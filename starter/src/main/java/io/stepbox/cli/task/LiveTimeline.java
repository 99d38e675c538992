package io.stepbox.cli.task;

import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The task's steps redrawn in place on a terminal: a heading, a row per step (step, approach,
 * state, elapsed, exit code, how many approaches failed before this one) and the latest notes.
 * Elapsed time of a running step counts from when this display first saw it running with its
 * approach.
 */
final class LiveTimeline implements TaskTimeline {
  static final String ROW = "  %-14s %-14s %-17s %8s %5s";
  private static final int NOTES = 3;

  private final PrintStream out;
  private final LongSupplier clock;
  private final Map<String, Long> seenRunning = new HashMap<>();
  private final List<String> notes = new ArrayList<>();
  private TaskStatus last;
  private int drawn;

  /**
   * @param clock milliseconds now, for elapsed times
   */
  LiveTimeline(PrintStream out, LongSupplier clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void update(TaskStatus now) {
    last = now;
    redraw();
  }

  @Override
  public void note(String line) {
    notes.add(line);
    if (notes.size() > NOTES) {
      notes.remove(0);
    }
    if (last != null) {
      redraw();
    } else {
      out.println(line); // nothing drawn yet: a plain line above the display
    }
  }

  private void redraw() {
    List<String> lines = render(last, clock.getAsLong());
    StringBuilder frame = new StringBuilder();
    if (drawn > 0) {
      frame.append("\033[").append(drawn).append('A'); // back to the display's first line
    }
    frame.append("\033[?7l"); // long lines are cut, not wrapped: one line per row keeps the count
    for (String line : lines) {
      frame.append("\r\033[2K").append(line).append('\n');
    }
    frame.append("\033[J\033[?7h"); // clear what a longer frame left below; wrapping back on
    out.print(frame);
    out.flush();
    drawn = lines.size();
  }

  /** The display's lines for {@code s} at {@code nowMillis}. */
  List<String> render(TaskStatus s, long nowMillis) {
    List<String> lines = new ArrayList<>();
    lines.add(
        TaskStatusFormat.heading(s)
            + (s.startedAtMillis() > 0
                ? "  "
                    + TaskStatusFormat.duration(
                        Math.max(
                            0, (s.ended() ? s.endedAtMillis() : nowMillis) - s.startedAtMillis()))
                : ""));
    lines.add(
        String.format(Locale.ROOT, ROW, "STEP", "APPROACH", "STATE", "ELAPSED", "EXIT")
            .stripTrailing());
    for (StepStatus step : s.steps()) {
      lines.add(row(step, nowMillis));
    }
    notes.forEach(n -> lines.add("  " + n));
    return lines;
  }

  private String row(StepStatus step, long nowMillis) {
    String elapsed = "";
    if (step.status() == StepState.RUNNING) {
      long since = seenRunning.computeIfAbsent(step.id() + "/" + step.approach(), k -> nowMillis);
      elapsed = TaskStatusFormat.duration(nowMillis - since);
    } else if (step.durationMillis() > 0) {
      elapsed = TaskStatusFormat.duration(step.durationMillis());
    }
    boolean decided = step.status() != StepState.RUNNING && step.exitCode() != null;
    long before =
        step.attempts().stream().filter(a -> !a.approach().equals(step.approach())).count();
    return (String.format(
                Locale.ROOT,
                ROW,
                step.id(),
                step.approach() == null ? "" : step.approach(),
                step.status().name(),
                elapsed,
                decided ? step.exitCode().toString() : "")
            + (before > 0 ? "  after " + before + " failed" : ""))
        .stripTrailing();
  }
}
