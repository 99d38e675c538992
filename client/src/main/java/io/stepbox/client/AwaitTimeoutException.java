package io.stepbox.client;

import java.time.Duration;

/** A wait on a task ran out of time. The task goes on: waiting again later is safe. */
public final class AwaitTimeoutException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  private final String taskId;

  /** Waiting {@code timeout} for {@code what} of task {@code taskId} was not enough. */
  public AwaitTimeoutException(String taskId, String what, Duration timeout) {
    super("task " + taskId + " did not " + what + " within " + timeout + "; it goes on", null);
    this.taskId = taskId;
  }

  /** The task that is still running. */
  public String taskId() {
    return taskId;
  }
}
