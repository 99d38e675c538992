package io.stepbox.cli;

import io.stepbox.workflows.task.TaskState;
import java.util.List;
import java.util.Set;

/** {@code stepbox list [--status S] [--name N] [--limit N] [--json]}: finds tasks. */
final class ListCommand {
  static final String HELP =
      """
      usage: stepbox list [--status S] [--name N] [--limit N] [--json]
        Tasks in the namespace, newest first, found through Temporal's visibility (no worker
        needed; a change shows after a moment): id, name, status, current step, start, end.
        --status S  RUNNING, WAITING_APPROVAL, COMPLETED, FAILED or REJECTED
        --name N    the spec's name (scheduled runs carry their spec's name too)
        --limit N   at most N tasks (default 100)
        --json      a JSON list of {id, name, status, currentStep, startTime, closeTime}
      Needs a real Temporal server (the in-memory test server has no visibility queries).""";

  private final Cli cli;

  ListCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out.println(HELP);
      return 0;
    }
    Args args = Args.parse("list", argv, Set.of("status", "name", "limit"), Set.of("json"));
    if (!args.positionals().isEmpty()) {
      throw new UsageException("list takes no arguments; filter with --status and --name");
    }
    TaskState status = args.get("status").map(TaskQuery::state).orElse(null);
    String query = TaskQuery.tasks(status, args.get("name").orElse(null));
    List<TaskRow> rows;
    try (TaskFinder finder = TaskFinder.connect(cli.config)) {
      rows = finder.find(query, limit(args)).stream().map(TaskRow::of).toList();
    }
    if (args.flag("json")) {
      cli.printJson(rows);
    } else if (rows.isEmpty()) {
      cli.err.println("no tasks match");
    } else {
      VisibilityFormat.tasks(rows).forEach(cli.out::println);
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
