package io.stepbox.workflows.task;

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
 */
public record ApprovalStatus(
    long timeoutMillis,
    String onTimeout,
    long requestedAtMillis,
    String decision,
    String by,
    String reason,
    long decidedAtMillis) {

  /** The {@code by} of a decision taken because the timeout passed. */
  public static final String TIMEOUT = "timeout";

  /** A gate nobody has been asked about yet. */
  public static ApprovalStatus pending(long timeoutMillis, String onTimeout) {
    return new ApprovalStatus(timeoutMillis, onTimeout, 0, null, null, null, 0);
  }

  /** This gate, waiting since {@code now}. */
  public ApprovalStatus requested(long now) {
    return new ApprovalStatus(timeoutMillis, onTimeout, now, null, null, null, 0);
  }

  /** This gate, decided. */
  public ApprovalStatus decided(String newDecision, String newBy, String newReason, long now) {
    return new ApprovalStatus(
        timeoutMillis, onTimeout, requestedAtMillis, newDecision, newBy, newReason, now);
  }
}
