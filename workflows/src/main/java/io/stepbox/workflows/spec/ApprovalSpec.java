package io.stepbox.workflows.spec;

/**
 * An approval gate in front of a step: the task waits, holding no sandbox, until someone approves
 * or rejects the step, or the timeout passes.
 *
 * @param required whether the gate is active; a written {@code approval} block defaults to true
 * @param timeout how long to wait, such as {@code 24h}; null waits until someone decides
 * @param onTimeout {@code reject} (the default) or {@code approve}
 */
public record ApprovalSpec(Boolean required, String timeout, String onTimeout) {

  /** Rejects the step when no decision arrives in time. */
  public static final String REJECT = "reject";

  /** Approves the step when no decision arrives in time. */
  public static final String APPROVE = "approve";

  /** Fills the defaults: required, reject on timeout. */
  public ApprovalSpec {
    required = required == null ? Boolean.TRUE : required;
    onTimeout = onTimeout == null ? REJECT : onTimeout;
  }
}
