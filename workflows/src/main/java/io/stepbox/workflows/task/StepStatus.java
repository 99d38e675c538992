package io.stepbox.workflows.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a task as it stands.
 *
 * @param id the step's id
 * @param status where the step is
 * @param approach the approach that ran last (or is running): {@code default} for the step's own
 *     command; null before the step ran
 * @param exitCode the exit code of the attempt that decided the step; null before
 * @param attempts every attempt, in order
 * @param snapshot the snapshot the next step starts from; null unless SUCCEEDED
 * @param durationMillis time from the step's first attempt to its last result
 * @param approval the approval gate; null when the step has none
 * @param egressApproval the request to widen the step's allow list after its requests were denied
 *     ({@code network.onDenied: approve}), and the decision on it; null when none was made
 */
public record StepStatus(
    String id,
    StepState status,
    String approach,
    Integer exitCode,
    List<AttemptStatus> attempts,
    String snapshot,
    long durationMillis,
    ApprovalStatus approval,
    ApprovalStatus egressApproval) {

  /** An empty attempt list instead of null. */
  public StepStatus {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /** A step's status without an egress approval. */
  public StepStatus(
      String id,
      StepState status,
      String approach,
      Integer exitCode,
      List<AttemptStatus> attempts,
      String snapshot,
      long durationMillis,
      ApprovalStatus approval) {
    this(id, status, approach, exitCode, attempts, snapshot, durationMillis, approval, null);
  }

  /** A step that has not started, with its gate if it has one. */
  public static StepStatus pending(String id, ApprovalStatus approval) {
    return new StepStatus(id, StepState.PENDING, null, null, List.of(), null, 0, approval, null);
  }

  /** The attempt that decided the step: the last attempt of the step's final approach. */
  public Optional<AttemptStatus> finalAttempt() {
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (Objects.equals(attempts.get(i).approach(), approach)) {
        return Optional.of(attempts.get(i));
      }
    }
    return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
  }

  /**
   * The hosts this step waits to have added to its allow list: those of its undecided egress
   * approval; empty when it waits for none.
   */
  public List<String> egressHostsAwaitingApproval() {
    return egressApproval == null || egressApproval.decision() != null
        ? List.of()
        : egressApproval.hosts();
  }

  StepStatus with(StepState newStatus) {
    return new StepStatus(
        id, newStatus, approach, exitCode, attempts, snapshot, durationMillis, approval, egressApproval);
  }

  StepStatus withApproval(ApprovalStatus newApproval) {
    return new StepStatus(
        id, status, approach, exitCode, attempts, snapshot, durationMillis, newApproval, egressApproval);
  }

  StepStatus withEgressApproval(ApprovalStatus newEgressApproval) {
    return new StepStatus(
        id,
        status,
        approach,
        exitCode,
        attempts,
        snapshot,
        durationMillis,
        approval,
        newEgressApproval);
  }

  StepStatus running(String newApproach) {
    return new StepStatus(
        id, StepState.RUNNING, newApproach, exitCode, attempts, snapshot, durationMillis, approval, egressApproval);
  }

  StepStatus withAttempt(AttemptStatus attempt) {
    List<AttemptStatus> all = new ArrayList<>(attempts);
    all.add(attempt);
    return new StepStatus(
        id, status, approach, attempt.exitCode(), all, snapshot, durationMillis, approval, egressApproval);
  }

  StepStatus finished(StepState newStatus, String newSnapshot, long newDurationMillis) {
    return new StepStatus(
        id, newStatus, approach, exitCode, attempts, newSnapshot, newDurationMillis, approval, egressApproval);
  }
}
