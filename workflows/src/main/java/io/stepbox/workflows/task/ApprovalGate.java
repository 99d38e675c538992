package io.stepbox.workflows.task;

import io.stepbox.workflows.spec.ApprovalSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Approval gates: the wait before a gated step, and the {@code decide} update that ends it and the
 * wait of {@link EgressApproval}. The decision lives in the step's {@link ApprovalStatus}, so the
 * status is the audit trail.
 */
final class ApprovalGate {
  /** The failure type of refused decisions. */
  static final String INVALID_DECISION = "InvalidDecision";

  private final TaskProgress progress;

  ApprovalGate(TaskProgress progress) {
    this.progress = progress;
  }

  /** Waits for a decision on step {@code index}; returns whether the step may run. */
  boolean await(int index, StepSpec step) {
    progress.current(index, TaskState.WAITING_APPROVAL);
    progress.update(
        index, s -> s.with(StepState.WAITING_APPROVAL).withApproval(s.approval().requested(now())));
    long timeout = progress.step(index).approval().timeoutMillis();
    if (timeout == 0) {
      Workflow.await(() -> decided(index));
    } else if (!Workflow.await(Duration.ofMillis(timeout), () -> decided(index))) {
      String onTimeout = step.approval().onTimeout();
      String reason = "no decision within " + step.approval().timeout();
      record(index, onTimeout, ApprovalStatus.TIMEOUT, reason);
    }
    boolean approved = ApprovalSpec.APPROVE.equals(progress.step(index).approval().decision());
    progress.update(index, s -> s.with(approved ? StepState.PENDING : StepState.REJECTED));
    progress.current(index, TaskState.RUNNING);
    return approved;
  }

  /** Refuses a decision that cannot be taken now, with a message for the person deciding. */
  void validate(Decision d) {
    if (d == null || d.step() == null || d.step().isBlank()) {
      throw refuse("name the step to decide on");
    }
    if (!Decision.APPROVE.equals(d.decision()) && !Decision.REJECT.equals(d.decision())) {
      throw refuse("decision must be \"approve\" or \"reject\", got \"" + d.decision() + "\"");
    }
    if (d.by() == null || d.by().isBlank()) {
      throw refuse("say who decides (by)");
    }
    int index = progress.indexOf(d.step());
    if (index < 0) {
      throw refuse("unknown step \"" + d.step() + "\"; the steps are " + stepIds());
    }
    StepStatus s = progress.step(index);
    ApprovalStatus a = target(s);
    if (a == null) {
      throw refuse("step \"" + d.step() + "\" has no approval gate");
    }
    if (a.decision() != null) {
      throw refuse(
          "step \"" + d.step() + "\" was already decided: " + a.decision() + " by " + a.by());
    }
    if (s.status() != StepState.WAITING_APPROVAL) {
      throw refuse(
          "step \"" + d.step() + "\" is not waiting for approval (it is " + s.status() + ")");
    }
  }

  /** Records a validated decision and waits until the task has acted on it. */
  TaskStatus decide(Decision d) {
    validate(d);
    int index = progress.indexOf(d.step());
    if (waitsForEgress(progress.step(index))) {
      recordEgress(index, d);
    } else {
      record(index, d.decision(), d.by(), d.reason());
    }
    Workflow.await(() -> progress.step(index).status() != StepState.WAITING_APPROVAL);
    return progress.status();
  }

  /**
   * What a decision on {@code s} decides: the question about denied hosts while it is open, else
   * the gate, else the last question about hosts; null when the step has neither.
   */
  private static ApprovalStatus target(StepStatus s) {
    if (waitsForEgress(s) || s.approval() == null) {
      return s.egressApproval();
    }
    return s.approval();
  }

  private static boolean waitsForEgress(StepStatus s) {
    return s.egressApproval() != null && s.egressApproval().decision() == null;
  }

  private void record(int index, String decision, String by, String reason) {
    progress.update(index, s -> s.withApproval(s.approval().decided(decision, by, reason, now())));
  }

  private void recordEgress(int index, Decision d) {
    ApprovalStatus decided =
        progress.step(index).egressApproval().decided(d.decision(), d.by(), d.reason(), now());
    progress.update(index, s -> s.withEgressApproval(decided));
  }

  private boolean decided(int index) {
    return progress.step(index).approval().decision() != null;
  }

  private String stepIds() {
    return progress.status().steps().stream().map(StepStatus::id).collect(Collectors.joining(", "));
  }

  private static ApplicationFailure refuse(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_DECISION);
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
