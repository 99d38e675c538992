package io.stepbox.workflows.task;

import java.util.List;

/**
 * The approval gate of a step, and the decision on it: the audit trail.
 *
 * @param timeoutMillis how long the task waits; 0 means until someone decides
 * @param onTimeout {@code reject} or {@code approve}
 * @param requestedAtMillis when the task started waiting (workflow time); 0 before that
 * @param decision {@code approve} or {@code reject}; null while undecided
 * @param by who decided, or {@value #TIMEOUT} when nobody did in time
 * @param reason why, as given
 * @param decidedAtMillis when (workflow time); 0 while undecided
 * @param hosts for an egress approval: the denied hosts an approval adds to the step's allow list;
 *     empty for a gate
 */
public record ApprovalStatus(
    long timeoutMillis,
    String onTimeout,
    long requestedAtMillis,
    String decision,
    String by,
    String reason,
    long decidedAtMillis,
    List<String> hosts) {

  public ApprovalStatus {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** A gate's status (no hosts). */
  public ApprovalStatus(
      long timeoutMillis,
      String onTimeout,
      long requestedAtMillis,
      String decision,
      String by,
      String reason,
      long decidedAtMillis) {
    this(
        timeoutMillis, onTimeout, requestedAtMillis, decision, by, reason, decidedAtMillis, null);
  }

  /** An egress approval asked for now: adding {@code hosts} waits for a decision. */
  public static ApprovalStatus egress(List<String> hosts, long now) {
    return new ApprovalStatus(0, "reject", now, null, null, null, 0, hosts);
  }

  /** The {@code by} of a decision taken because the timeout passed. */
  public static final String TIMEOUT = "timeout";

  /** A gate nobody has been asked about yet. */
  public static ApprovalStatus pending(long timeoutMillis, String onTimeout) {
    return new ApprovalStatus(timeoutMillis, onTimeout, 0, null, null, null, 0, List.of());
  }

  /** This gate, waiting since {@code now}. */
  public ApprovalStatus requested(long now) {
    return new ApprovalStatus(timeoutMillis, onTimeout, now, null, null, null, 0, hosts);
  }

  /** This gate, decided. */
  public ApprovalStatus decided(String newDecision, String newBy, String newReason, long now) {
    return new ApprovalStatus(
        timeoutMillis, onTimeout, requestedAtMillis, newDecision, newBy, newReason, now, hosts);
  }
}
