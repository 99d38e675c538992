package io.stepbox.cli;

import java.util.List;
import java.util.Set;

/** {@code stepbox approvals [--limit N] [--json]}: tasks waiting for a decision. */
final class ApprovalsCommand {
  static final String HELP =
      """
      usage: stepbox approvals [--limit N] [--json]
        Tasks waiting for an approval decision, found through Temporal's visibility (no worker
        needed): the gated step, what it would run (image, its command and approaches) and the
        stepbox approve / reject command to run.
        --json      a JSON list of {id, name, step, image, commands, startTime, approve, reject}""";

  private final Cli cli;

  ApprovalsCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out.println(HELP);
      return 0;
    }
    Args args = Args.parse("approvals", argv, Set.of("limit"), Set.of("json"));
    if (!args.positionals().isEmpty()) {
      throw new UsageException("approvals takes no arguments");
    }
    List<ApprovalRow> rows;
    try (TaskFinder finder = TaskFinder.connect(cli.config)) {
      rows =
          finder.find(TaskQuery.waitingApproval(), ListCommand.limit(args)).stream()
              .map(ApprovalRow::of)
              .toList();
    }
    if (args.flag("json")) {
      cli.printJson(rows);
    } else if (rows.isEmpty()) {
      cli.err.println("no task waits for approval");
    } else {
      VisibilityFormat.approvals(rows).forEach(cli.out::println);
    }
    return TaskExit.OK;
  }
}
