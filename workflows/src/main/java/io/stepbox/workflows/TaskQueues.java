package io.stepbox.workflows;

/**
 * Task queue names. Workers poll the shared queue for workflows and step activities; each worker
 * also polls a queue of its own for steps routed to the sandboxes it keeps warm, and names that
 * queue itself (it is returned in {@code StepResult.warmQueue}).
 */
public final class TaskQueues {

  /** The queue every worker polls, for workflows and activities. */
  public static final String SHARED = "stepbox";

  private TaskQueues() {}
}
