package io.stepbox.cli.task;

import io.stepbox.client.NoWorkerException;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a task until it ends: waits up to a second for the workflow to close, asks for its status
 * when it has not, and hands every poll to a {@link TaskTimeline}. Ending the command does not end
 * the task.
 */
final class TaskFollower {
  static final Duration TICK = Duration.ofSeconds(1);

  /**
   * What happens when a step starts waiting for approval ({@code now.currentStep()}), at its gate
   * or to widen its allow list; returns the line to show.
   */
  interface Gate {
    String waiting(TaskStatus now);
  }

  /** Shows how to approve the step, and waits. */
  static final Gate HINT = TaskStatusFormat::approvalHint;

  private final StepboxClient tasks;
  private final TaskTimeline timeline;
  private final Gate gate;

  TaskFollower(StepboxClient tasks, TaskTimeline timeline, Gate gate) {
    this.tasks = tasks;
    this.timeline = timeline;
    this.gate = gate;
  }

  /** Returns the final status of task {@code id}. */
  TaskStatus follow(String id) {
    TaskHandle task = tasks.task(id);
    String gated = null;
    boolean noted = false;
    while (true) {
      Optional<TaskStatus> end = task.pollResult(TICK);
      TaskStatus now;
      try {
        now = end.isPresent() ? end.get() : task.status();
      } catch (NoWorkerException e) {
        if (!noted) {
          timeline.note("stepbox: " + e.getMessage() + "; still waiting");
          noted = true;
        }
        continue;
      }
      timeline.update(now);
      if (now.status() == TaskState.WAITING_APPROVAL && !Objects.equals(gated, waitKey(now))) {
        gated = waitKey(now);
        timeline.note(gate.waiting(now));
      }
      if (now.ended()) {
        return now;
      }
    }
  }

  /** What the task waits for: the step, and the hosts when it is an egress approval. */
  private static String waitKey(TaskStatus now) {
    return now.currentStep()
        + now.findStep(now.currentStep())
            .map(s -> " " + s.egressHostsAwaitingApproval())
            .orElse("");
  }
}
