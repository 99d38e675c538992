package io.stepbox.cli.task;

import io.stepbox.workflows.task.TaskStatus;
import java.io.PrintStream;

/**
 * What a command shows while it follows a task ({@code run --wait}, {@code demo}): fed every poll
 * of the task's status and every notice (an approval hint, Temporal out of reach).
 */
interface TaskTimeline {
  /** The task as the latest poll found it. */
  void update(TaskStatus now);

  /** A line for the reader: what to run to approve, what the command did, a problem. */
  void note(String line);

  /**
   * A display redrawn in place on {@code out} when it is a terminal, else a line per step event on
   * {@code events} (null: none) with the notes on {@code notes}.
   */
  static TaskTimeline of(boolean terminal, PrintStream out, PrintStream events, PrintStream notes) {
    return terminal
        ? new LiveTimeline(out, System::currentTimeMillis)
        : new PlainTimeline(events, notes);
  }

}
