package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.task.TaskStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepbox status ID [--json]}: where a task is, as a table or as JSON. */
@Command(
    name = "status",
    description = {
      "where a task is: each step's approach, exit code, time, snapshot",
      "Under a step that used the egress proxy: its requests allowed and denied, and the first"
          + " denials. --json prints the status object: id, name, status (RUNNING,"
          + " WAITING_APPROVAL, COMPLETED, FAILED or REJECTED), currentStep, steps [{id, status,"
          + " approach, exitCode, attempts [{..., egress}], snapshot, durationMillis, approval,"
          + " egressApproval}], exportsRef, error, ..."
    },
    footer = {
      "Exit codes: 0 COMPLETED, 1 FAILED, REJECTED or no such task, 3 still running (RUNNING or"
          + " WAITING_APPROVAL), 125 Temporal unreachable or no worker answered."
    })
final class StatusCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  String id;

  @Option(names = "--json", description = "print the status object")
  boolean json;

  private final Cli cli;

  StatusCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    TaskStatus status;
    try (StepboxClient tasks = cli.connectClient()) {
      status = tasks.task(id).status();
    }
    if (json) {
      cli.printJson(status);
    } else {
      TaskStatusFormat.table(status).forEach(cli.out()::println);
    }
    return TaskExit.of(status.status());
  }
}
