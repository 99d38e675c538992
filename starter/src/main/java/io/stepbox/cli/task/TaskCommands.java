package io.stepbox.cli.task;

import java.util.List;

/** The task commands, in the order {@code stepbox --help} lists them. */
public final class TaskCommands {
  /** Command classes for picocli; each takes the run's {@code Cli}. */
  public static final List<Class<?>> ALL =
      List.of(
          DemoCommand.class,
          RunCommand.class,
          StatusCommand.class,
          LogsCommand.class,
          DecideCommand.Approve.class,
          DecideCommand.Reject.class,
          FindCommand.Tasks.class,
          FindCommand.Approvals.class);

  private TaskCommands() {}
}
