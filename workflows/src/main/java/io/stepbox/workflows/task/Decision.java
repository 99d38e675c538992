package io.stepbox.workflows.task;

/**
 * A decision on an approval gate, or on allowing the hosts a step was denied: the argument of
 * {@link AgentTaskWorkflow#decide}.
 *
 * @param step the id of the step waiting
 * @param decision {@value #APPROVE} or {@value #REJECT}
 * @param by who decides; recorded in the status and in history
 * @param reason why; optional
 */
public record Decision(String step, String decision, String by, String reason) {

  /** Lets the step run (with the denied hosts allowed). */
  public static final String APPROVE = "approve";

  /** Ends the task: REJECTED at a gate, FAILED when it asked to allow hosts. */
  public static final String REJECT = "reject";

  /** Approves {@code step}. */
  public static Decision approve(String step, String by, String reason) {
    return new Decision(step, APPROVE, by, reason);
  }

  /** Rejects {@code step}. */
  public static Decision reject(String step, String by, String reason) {
    return new Decision(step, REJECT, by, reason);
  }
}
