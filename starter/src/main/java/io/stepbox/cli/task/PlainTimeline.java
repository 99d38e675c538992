package io.stepbox.cli.task;

import io.stepbox.workflows.task.TaskStatus;
import java.io.PrintStream;

/**
 * A line per step event, for logs and pipes: a step started, a failed approach, a step finished
 * (exit code, time, snapshot and its size), waiting for approval, and the task's end.
 */
final class PlainTimeline implements TaskTimeline {
  private final PrintStream events;
  private final PrintStream notes;
  private TaskStatus last;

  /**
   * @param events where step events go; null for nowhere
   * @param notes where notes go
   */
  PlainTimeline(PrintStream events, PrintStream notes) {
    this.events = events;
    this.notes = notes;
  }

  @Override
  public void update(TaskStatus now) {
    if (events != null) {
      TaskStatusFormat.changes(last, now).forEach(events::println);
      if (now.ended() && (last == null || !last.ended())) {
        events.println(TaskStatusFormat.ended(now));
      }
    }
    last = now;
  }

  @Override
  public void note(String line) {
    notes.println(line);
  }
}
