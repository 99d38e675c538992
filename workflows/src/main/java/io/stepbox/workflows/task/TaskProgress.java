package io.stepbox.workflows.task;

import io.stepbox.workflows.Units;
import io.stepbox.workflows.spec.ApprovalSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.ExportResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The mutable state behind {@link TaskStatus}, kept by the workflow. Not thread-safe. */
final class TaskProgress {
  private final String id;
  private final String name;
  private final long startedAt;
  private final List<StepStatus> steps = new ArrayList<>();
  private TaskState state = TaskState.RUNNING;
  private String currentStep;
  private ExportResult exports;
  private String error;
  private long endedAt;
  private Consumer<TaskStatus> observer = s -> {};

  TaskProgress(String id, TaskSpec spec, long now) {
    this.id = id;
    this.name = spec == null ? null : spec.name();
    this.startedAt = now;
    if (spec != null) {
      for (StepSpec s : spec.steps()) {
        steps.add(s == null ? StepStatus.pending(null, null) : pending(s));
      }
    }
  }

  private static StepStatus pending(StepSpec s) {
    if (!s.requiresApproval()) {
      return StepStatus.pending(s.id(), null);
    }
    ApprovalSpec a = s.approval();
    long timeout = 0;
    if (a.timeout() != null) {
      try {
        timeout = Units.parseDuration("timeout", a.timeout()).toMillis();
      } catch (IllegalArgumentException e) {
        timeout = -1; // reported by the validator; the task never gets to this gate
      }
    }
    return StepStatus.pending(s.id(), ApprovalStatus.pending(timeout, a.onTimeout()));
  }

  /** The index of step {@code stepId}, or -1. */
  int indexOf(String stepId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id() != null && steps.get(i).id().equals(stepId)) {
        return i;
      }
    }
    return -1;
  }

  StepStatus step(int index) {
    return steps.get(index);
  }

  /** Calls {@code changed} with the status whenever the task's state or current step changes. */
  void onChange(Consumer<TaskStatus> changed) {
    observer = changed;
  }

  void update(int index, UnaryOperator<StepStatus> change) {
    steps.set(index, change.apply(steps.get(index)));
  }

  /** Makes step {@code index} the current one, in task state {@code newState}. */
  void current(int index, TaskState newState) {
    currentStep = steps.get(index).id();
    state = newState;
    observer.accept(status());
  }

  void exported(ExportResult result) {
    exports = result;
  }

  /** Ends the task: steps that never ran become SKIPPED. */
  void end(TaskState finalState, String why, long now) {
    state = finalState;
    error = why;
    endedAt = now;
    if (finalState == TaskState.COMPLETED) {
      currentStep = null;
    }
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).status() == StepState.PENDING) {
        update(i, s -> s.with(StepState.SKIPPED));
      }
    }
    observer.accept(status());
  }

  TaskStatus status() {
    return new TaskStatus(
        id,
        name,
        state,
        currentStep,
        steps,
        exports == null ? null : exports.ref(),
        exports == null ? 0 : exports.bytes(),
        exports == null ? List.of() : exports.missing(),
        error,
        startedAt,
        endedAt);
  }
}
