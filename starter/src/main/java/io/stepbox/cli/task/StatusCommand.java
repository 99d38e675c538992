package io.stepbox.cli.task;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.task.TaskStatus;
import java.util.List;
import java.util.Set;

/** {@code stepbox status ID [--json]}: where a task is, as a table or as JSON. */
public final class StatusCommand {
  static final String HELP =
      """
      usage: stepbox status ID [--json]
        Prints the task's status: one row per step with its approach, exit code, duration and
        snapshot. --json prints the status object: id, name, status (RUNNING, WAITING_APPROVAL,
        COMPLETED, FAILED or REJECTED), currentStep, steps [{id, status, approach, exitCode,
        attempts, snapshot, durationMillis, approval}], exportsRef, error, ...
      Exit codes: 0 COMPLETED, 1 FAILED, REJECTED or no such task, 3 still running
      (RUNNING or WAITING_APPROVAL), 125 Temporal unreachable or no worker answered.""";

  private final Cli cli;

  public StatusCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(HELP);
      return 0;
    }
    Args args = Args.parse("status", argv, Set.of(), Set.of("json"));
    String id = args.positional(0, "the task id");
    TaskStatus status;
    try (StepboxClient tasks = cli.connectClient()) {
      status = tasks.task(id).status();
    }
    if (args.flag("json")) {
      cli.printJson(status);
    } else {
      TaskStatusFormat.table(status).forEach(cli.out()::println);
    }
    return TaskExit.of(status.status());
  }
}
