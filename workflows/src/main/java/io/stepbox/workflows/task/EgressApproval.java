package io.stepbox.workflows.task;

import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Asking a person to allow the hosts a failed step was denied ({@code network.onDenied: approve}).
 * The question and the decision live in the step's {@link StepStatus#egressApproval}, so history
 * is the audit trail; the {@code decide} update ({@link ApprovalGate}) records the decision.
 */
final class EgressApproval {
  /** Denials that adding a host to the allow list cannot fix. */
  private static final Set<String> UNFIXABLE =
      Set.of(
          EgressPolicy.Reason.IP_LITERAL.name(),
          EgressPolicy.Reason.DENY_RULE.name(),
          EgressPolicy.Reason.PRIVATE_ADDRESS.name(),
          EgressPolicy.Reason.SNI.name());

  private final TaskSpec spec;
  private final TaskProgress progress;
  private final ApprovedHosts approved;

  EgressApproval(TaskSpec spec, TaskProgress progress, ApprovedHosts approved) {
    this.spec = spec;
    this.progress = progress;
    this.approved = approved;
  }

  /**
   * The hosts to ask about after {@code outcome}: those its attempts were denied on networks with
   * {@code onDenied: approve}, that an allow entry could fix and that are not allowed yet. Empty
   * unless every command of the step ran and failed.
   */
  List<String> askable(StepSpec step, StepExecutor.Outcome outcome) {
    if (outcome.succeeded() || !outcome.exhausted()) {
      return List.of();
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (AttemptStatus a : outcome.attempts()) {
      NetworkSpec network = spec.networkFor(step, approach(step, a.approach()));
      if (a.egress() != null && network.asksOnDenied()) {
        List<String> denied = fixable(a.egress()).deniedHosts();
        denied.stream().filter(h -> !network.allow().contains(h)).forEach(hosts::add);
      }
    }
    hosts.removeAll(approved.of(step.id()));
    return List.copyOf(hosts);
  }

  /**
   * Waits until someone decides whether step {@code index} may reach {@code hosts} (release any
   * warm sandbox first); returns whether they approved, having added the hosts to the step's
   * allow list.
   */
  boolean await(int index, List<String> hosts) {
    ApprovalStatus question = ApprovalStatus.egress(hosts, Workflow.currentTimeMillis());
    progress.update(index, s -> s.with(StepState.WAITING_APPROVAL).withEgressApproval(question));
    progress.current(index, TaskState.WAITING_APPROVAL);
    Workflow.await(() -> progress.step(index).egressApproval().decision() != null);
    ApprovalStatus decided = progress.step(index).egressApproval();
    boolean approve = Decision.APPROVE.equals(decided.decision());
    if (approve) {
      approved.add(progress.step(index).id(), hosts);
    }
    progress.update(index, s -> s.with(approve ? StepState.PENDING : StepState.FAILED));
    return approve;
  }

  /** Why the task fails after step {@code index}'s hosts were rejected. */
  String rejection(int index) {
    StepStatus s = progress.step(index);
    ApprovalStatus a = s.egressApproval();
    String why = a.reason() == null || a.reason().isBlank() ? "" : " (" + a.reason() + ")";
    return "step "
        + s.id()
        + " failed with hosts denied; "
        + a.by()
        + " rejected allowing "
        + String.join(", ", a.hosts())
        + why;
  }

  private static ApproachSpec approach(StepSpec step, String name) {
    return step.approaches().stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
  }

  /** {@code summary} without the denials no allow entry can fix. */
  private static EgressSummary fixable(EgressSummary summary) {
    List<EgressDenial> denials =
        summary.firstDenials().stream().filter(d -> !UNFIXABLE.contains(d.reason())).toList();
    return new EgressSummary(0, denials.size(), 0, 0, 0, denials, null);
  }
}
