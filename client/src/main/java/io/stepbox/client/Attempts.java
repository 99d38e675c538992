package io.stepbox.client;

import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskStatus;
import java.util.stream.Collectors;

/** Picks the attempt of a step whose output to read, or says why there is none. */
final class Attempts {
  private Attempts() {}

  /**
   * The attempt that decided step {@code stepId}, or with {@code approach} the last attempt of that
   * approach ("default": the step's own run).
   *
   * @throws NotFoundException naming what exists instead
   */
  static AttemptStatus pick(TaskStatus status, String stepId, String approach) {
    StepStatus step = step(status, stepId);
    if (step.attempts().isEmpty()) {
      throw fail(
          "step "
              + stepId
              + " of task "
              + status.id()
              + " has not run yet (it is "
              + step.status()
              + ")");
    }
    if (approach == null) {
      return step.finalAttempt().orElseThrow();
    }
    return lastOf(step, approach);
  }

  private static StepStatus step(TaskStatus status, String stepId) {
    return status
        .findStep(stepId)
        .orElseThrow(
            () ->
                fail(
                    "task "
                        + status.id()
                        + " has no step '"
                        + stepId
                        + "'; its steps are "
                        + status.steps().stream()
                            .map(StepStatus::id)
                            .collect(Collectors.joining(", "))));
  }

  /** The step's last attempt of {@code approach}. */
  private static AttemptStatus lastOf(StepStatus step, String approach) {
    for (int i = step.attempts().size() - 1; i >= 0; i--) {
      if (step.attempts().get(i).approach().equals(approach)) {
        return step.attempts().get(i);
      }
    }
    throw fail(
        "step "
            + step.id()
            + " has no attempt of approach '"
            + approach
            + "'; it tried "
            + step.attempts().stream()
                .map(AttemptStatus::approach)
                .distinct()
                .collect(Collectors.joining(", ")));
  }

  /** The blob key of the attempt's {@code kind} output, or a failure when it left none. */
  static String ref(AttemptStatus attempt, String stepId, OutputKind kind) {
    String ref = kind == OutputKind.STDERR ? attempt.stderrRef() : attempt.stdoutRef();
    if (ref == null) {
      throw fail(
          "the attempt of step "
              + stepId
              + " left no output"
              + (attempt.error() == null ? "" : ": " + attempt.error()));
    }
    return ref;
  }

  private static NotFoundException fail(String message) {
    return new NotFoundException(message, null);
  }
}
