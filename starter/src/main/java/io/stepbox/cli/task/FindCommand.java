package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.Converters;
import io.stepbox.cli.TaskExit;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepbox list} and {@code stepbox approvals}: tasks found through Temporal's visibility,
 * from their search attributes and memo, so no worker is needed.
 */
abstract class FindCommand<R> implements Callable<Integer> {
  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "at most N tasks (default 100)")
  double limit = TaskFinder.DEFAULT_LIMIT;

  @Option(names = "--json", description = "a JSON list")
  boolean json;

  private final Cli cli;

  FindCommand(Cli cli) {
    this.cli = cli;
  }

  /** {@code stepbox list}. */
  @Command(
      name = "list",
      description = {
        "find tasks (Temporal visibility)",
        "Tasks in the namespace, newest first, found through Temporal's visibility (no worker"
            + " needed; a change shows after a moment): id, name, status, current step, start,"
            + " end. --json: a list of {id, name, status, currentStep, startTime, closeTime}."
      },
      footer = "Needs a real Temporal server (the in-memory test server has no visibility queries).")
  static final class Tasks extends FindCommand<TaskRow> {
    @Option(
        names = "--status",
        paramLabel = "S",
        description = "RUNNING, WAITING_APPROVAL, COMPLETED, FAILED or REJECTED")
    String status;

    @Option(
        names = "--name",
        paramLabel = "N",
        description = "the spec's name (scheduled runs carry their spec's name too)")
    String name;

    Tasks(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      String query = TaskQuery.tasks(status == null ? null : TaskQuery.state(status), name);
      return print(query, TaskRow::of, VisibilityFormat::tasks, "no tasks match");
    }
  }

  /** {@code stepbox approvals}. */
  @Command(
      name = "approvals",
      description = {
        "tasks waiting for a decision, what they would run",
        "Found through Temporal's visibility (no worker needed): the gated step, what it would run"
            + " (image, its command and approaches) and the stepbox approve / reject command to"
            + " run. A step whose requests the egress proxy denied (network.onDenied: approve)"
            + " waits here too, with the hosts an approval adds to its allow list. --json: a list"
            + " of {id, name, step, image, commands, hosts, startTime, approve, reject}."
      })
  static final class Approvals extends FindCommand<ApprovalRow> {
    Approvals(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      return print(
          TaskQuery.waitingApproval(),
          ApprovalRow::of,
          VisibilityFormat::approvals,
          "no task waits for approval");
    }
  }

  int print(
      String query,
      Function<WorkflowExecutionMetadata, R> row,
      Function<List<R>, List<String>> table,
      String none) {
    int max = Converters.atLeastOne("--limit", limit);
    List<R> rows;
    try (TaskFinder finder = TaskFinder.connect(cli.config())) {
      rows = finder.find(query, max).stream().map(row).toList();
    }
    if (json) {
      cli.printJson(rows);
    } else if (rows.isEmpty()) {
      cli.err().println(none);
    } else {
      table.apply(rows).forEach(cli.out()::println);
    }
    return TaskExit.OK;
  }
}
