package io.stepbox.cli.task;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.UsageException;
import io.stepbox.workflows.task.TaskState;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code stepbox list} and {@code stepbox approvals}: tasks found through Temporal's visibility,
 * from their search attributes and memo, so no worker is needed.
 */
public final class FindCommand {
  static final String LIST_HELP =
      """
      usage: stepbox list [--status S] [--name N] [--limit N] [--json]
        Tasks in the namespace, newest first, found through Temporal's visibility (no worker
        needed; a change shows after a moment): id, name, status, current step, start, end.
        --status S  RUNNING, WAITING_APPROVAL, COMPLETED, FAILED or REJECTED
        --name N    the spec's name (scheduled runs carry their spec's name too)
        --limit N   at most N tasks (default 100)
        --json      a JSON list of {id, name, status, currentStep, startTime, closeTime}
      Needs a real Temporal server (the in-memory test server has no visibility queries).""";

  static final String APPROVALS_HELP =
      """
      usage: stepbox approvals [--limit N] [--json]
        Tasks waiting for an approval decision, found through Temporal's visibility (no worker
        needed): the gated step, what it would run (image, its command and approaches) and the
        stepbox approve / reject command to run.
        --json      a JSON list of {id, name, step, image, commands, startTime, approve, reject}""";

  private final Cli cli;

  public FindCommand(Cli cli) {
    this.cli = cli;
  }

  public int list(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(LIST_HELP);
      return TaskExit.OK;
    }
    Args args = parse("list", argv, Set.of("status", "name", "limit"));
    TaskState status = args.get("status").map(TaskQuery::state).orElse(null);
    String query = TaskQuery.tasks(status, args.get("name").orElse(null));
    return print(args, query, TaskRow::of, VisibilityFormat::tasks, "no tasks match");
  }

  public int approvals(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(APPROVALS_HELP);
      return TaskExit.OK;
    }
    Args args = parse("approvals", argv, Set.of("limit"));
    return print(
        args,
        TaskQuery.waitingApproval(),
        ApprovalRow::of,
        VisibilityFormat::approvals,
        "no task waits for approval");
  }

  private static Args parse(String command, List<String> argv, Set<String> valued) {
    Args args = Args.parse(command, argv, valued, Set.of("json"));
    if (!args.positionals().isEmpty()) {
      throw new UsageException(
          command + " takes no arguments, only options; see stepbox " + command + " --help");
    }
    return args;
  }

  private <R> int print(
      Args args,
      String query,
      Function<WorkflowExecutionMetadata, R> row,
      Function<List<R>, List<String>> table,
      String none) {
    int limit = limit(args);
    List<R> rows;
    try (TaskFinder finder = TaskFinder.connect(cli.config())) {
      rows = finder.find(query, limit).stream().map(row).toList();
    }
    if (args.flag("json")) {
      cli.printJson(rows);
    } else if (rows.isEmpty()) {
      cli.err().println(none);
    } else {
      table.apply(rows).forEach(cli.out()::println);
    }
    return TaskExit.OK;
  }

  /** The --limit value: a positive whole number, default {@link TaskFinder#DEFAULT_LIMIT}. */
  static int limit(Args args) {
    double n = args.number("limit").orElse((double) TaskFinder.DEFAULT_LIMIT);
    if (n < 1 || n != Math.floor(n) || n > Integer.MAX_VALUE) {
      throw new UsageException("--limit: must be a whole number of at least 1");
    }
    return (int) n;
  }
}
