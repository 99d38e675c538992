package io.stepbox.cli;

import io.stepbox.client.NoWorkerException;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a task until it ends: waits up to a second for the workflow to close, asks for its status
 * when it has not, and prints a line per change. Ending the command does not end the task.
 */
final class TaskFollower {
  static final Duration TICK = Duration.ofSeconds(1);

  private final StepboxClient tasks;
  private final PrintStream progress;
  private final PrintStream hints;

  /**
   * @param progress where the step changes go; null for nowhere
   * @param hints where the approval hint and worker notes go
   */
  TaskFollower(StepboxClient tasks, PrintStream progress, PrintStream hints) {
    this.tasks = tasks;
    this.progress = progress;
    this.hints = hints;
  }

  /** Returns the final status of task {@code id}. */
  TaskStatus follow(String id) {
    TaskHandle task = tasks.task(id);
    TaskStatus last = null;
    String hinted = null;
    boolean noted = false;
    while (true) {
      Optional<TaskStatus> end = task.pollResult(TICK);
      TaskStatus now;
      try {
        now = end.isPresent() ? end.get() : task.status();
      } catch (NoWorkerException e) {
        if (!noted) {
          hints.println("stepbox: " + e.getMessage() + "; still waiting");
          noted = true;
        }
        continue;
      }
      if (progress != null) {
        TaskStatusFormat.changes(last, now).forEach(progress::println);
      }
      if (now.status() == TaskState.WAITING_APPROVAL
          && !Objects.equals(hinted, now.currentStep())) {
        hinted = now.currentStep();
        hints.println(TaskStatusFormat.approvalHint(id, hinted));
      }
      last = now;
      if (now.ended()) {
        return now;
      }
    }
  }
}
