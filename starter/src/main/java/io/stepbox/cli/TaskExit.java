package io.stepbox.cli;

import io.stepbox.workflows.task.TaskState;

/** Exit codes of the commands, documented in the help of {@code stepbox} and each command. */
public final class TaskExit {
  /** The task completed, or the command did what was asked. */
  public static final int OK = 0;

  /** The task FAILED or was REJECTED, the task or session does not exist, or a refusal. */
  public static final int FAILED = 1;

  /** Bad command line or invalid task spec. */
  public static final int USAGE = 2;

  /** The task is still running (RUNNING or WAITING_APPROVAL). */
  public static final int RUNNING = 3;

  /** Temporal cannot be reached, or no worker answered. */
  public static final int UNAVAILABLE = 125;

  private TaskExit() {}

  /** The exit code that reports a task in {@code state}. */
  public static int of(TaskState state) {
    return switch (state) {
      case COMPLETED -> OK;
      case FAILED, REJECTED -> FAILED;
      case RUNNING, WAITING_APPROVAL -> RUNNING;
    };
  }

}
