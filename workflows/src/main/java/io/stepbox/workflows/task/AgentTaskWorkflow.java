package io.stepbox.workflows.task;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A declared agent task: its steps run in order, each as one {@code runStep} activity starting from
 * the previous step's snapshot (the first from the image). A failed step tries its approaches in
 * order from the same base; a gated step waits for a {@link #decide} update, with no sandbox held.
 * A step that failed with hosts denied on a network with {@code onDenied: approve} waits the same
 * way; approving adds the hosts to the step's allow list and reruns it from the same base. The
 * workflow id is the task id.
 */
@WorkflowInterface
public interface AgentTaskWorkflow {

  /**
   * Runs the task to its end and returns its final status: COMPLETED (with the exports' ref),
   * FAILED (with every attempt of the failed step, or why the spec is invalid) or REJECTED. The
   * workflow itself completes normally in all three cases; a finished task holds no sandbox.
   */
  @WorkflowMethod
  TaskStatus run(TaskInput input);

  /**
   * Approves or rejects the step that is waiting, at its gate or to allow the hosts it was denied
   * ({@link StepStatus#egressApproval}), recording who, why and when. Rejecting the hosts fails the
   * task. Returns the status once the task has acted on the decision.
   */
  @UpdateMethod
  TaskStatus decide(Decision decision);

  /**
   * Refuses a decision on an unknown step, a step with neither a gate nor a question about denied
   * hosts, a step that is not waiting (yet), an already decided step, a decision other than
   * approve or reject, or one without {@code by}. Refusals are failures of type {@code
   * InvalidDecision} whose message says why.
   */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(Decision decision);

  /** The task as it stands. */
  @QueryMethod
  TaskStatus status();
}
