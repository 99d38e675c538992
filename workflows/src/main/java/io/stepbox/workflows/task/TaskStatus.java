package io.stepbox.workflows.task;

import java.util.List;
import java.util.Optional;

/**
 * A task as it stands: the answer of {@link AgentTaskWorkflow#status()} and the result of {@link
 * AgentTaskWorkflow#run}. Holds output tails and blob references, never full output.
 *
 * @param id the workflow id
 * @param name the spec's name
 * @param status where the task is
 * @param currentStep the step running or waiting for approval; the step that ended the task once it
 *     is FAILED or REJECTED; null when COMPLETED
 * @param steps every step, in the spec's order
 * @param exportsRef blob key of the tar of the spec's exports; null until the task completed
 * @param exportsBytes size of that tar
 * @param exportsMissing exported paths that did not exist in the final snapshot
 * @param error why the task failed, for failures that are not a step's exit code; null otherwise
 * @param startedAtMillis when the workflow started (workflow time)
 * @param endedAtMillis when it ended; 0 while it runs
 */
public record TaskStatus(
    String id,
    String name,
    TaskState status,
    String currentStep,
    List<StepStatus> steps,
    String exportsRef,
    long exportsBytes,
    List<String> exportsMissing,
    String error,
    long startedAtMillis,
    long endedAtMillis) {

  /** Empty lists instead of nulls. */
  public TaskStatus {
    steps = steps == null ? List.of() : List.copyOf(steps);
    exportsMissing = exportsMissing == null ? List.of() : List.copyOf(exportsMissing);
  }

  /** The step with id {@code stepId}. */
  public Optional<StepStatus> findStep(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  /**
   * The blob key of the full stdout of the attempt that decided {@code stepId} (for {@code stepbox
   * logs ID --step S}); empty when the step has not run.
   */
  public Optional<String> stdoutRef(String stepId) {
    return findStep(stepId).flatMap(StepStatus::finalAttempt).map(AttemptStatus::stdoutRef);
  }

  /** Whether the task has ended: COMPLETED, FAILED or REJECTED. */
  public boolean ended() {
    return status == TaskState.COMPLETED
        || status == TaskState.FAILED
        || status == TaskState.REJECTED;
  }
}
