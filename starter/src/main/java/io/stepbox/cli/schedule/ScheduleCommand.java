package io.stepbox.cli.schedule;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.ShellWords;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.Text;
import io.stepbox.cli.UsageException;
import io.stepbox.client.TaskSpecs;
import io.stepbox.workflows.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code stepbox schedule ...}: tasks that run on a schedule, through Temporal Schedules. */
public final class ScheduleCommand {
  static final String HELP =
      """
      usage: stepbox schedule COMMAND
        create NAME (--cron EXPR | --every DURATION) TASK.yaml [--overlap POLICY] [--paused]
                   run TASK.yaml on a schedule; the spec is read and checked now and each run
                   is a task with id schedule-NAME-<run time>. --every takes 30s, 15m, 1h, 1d;
                   --cron takes 5 fields ('0 3 * * *': daily at 03:00 UTC). --overlap says what
                   happens to a run due while the last still runs: skip (default), buffer-one,
                   buffer-all, cancel-other, terminate-other, allow-all
        list [--json]          every schedule: when, paused, next run, latest runs
        pause NAME [--note N]  stop starting runs (running ones go on)
        unpause NAME [--note N]
        trigger NAME           start a run now
        delete NAME            remove the schedule (runs it started go on)
      Exit codes: 0 done, 1 no such schedule or the name is taken, 2 bad command line, invalid
      spec or cron, 125 Temporal unreachable. Needs a real Temporal server.""";

  private final Cli cli;

  public ScheduleCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      cli.out().println(HELP);
      return argv.isEmpty() ? TaskExit.USAGE : TaskExit.OK;
    }
    List<String> rest = argv.subList(1, argv.size());
    if (rest.contains("--help")) {
      cli.out().println(HELP);
      return TaskExit.OK;
    }
    String sub = argv.get(0);
    return switch (sub) {
      case "create" -> create(rest);
      case "list", "ls" -> list(rest);
      case "pause", "unpause", "trigger", "delete", "rm" -> change(sub, rest);
      default ->
          throw new UsageException(
              "unknown schedule command '" + sub + "'; see stepbox schedule --help");
    };
  }

  private int create(List<String> argv) {
    Args args =
        Args.parse("schedule create", argv, Set.of("cron", "every", "overlap"), Set.of("paused"));
    ScheduleRequest request = ScheduleRequest.parse(args);
    TaskSpec spec = readSpec(args.positional(1, "the task file (TASK.yaml)"));
    noMore(args, 2);
    try (Schedules schedules = Schedules.connect(cli.config())) {
      schedules.create(request, spec);
    }
    cli.out().println(request.name());
    cli.err().println(
        "created schedule "
            + request.name()
            + " ("
            + request.when()
            + (request.paused() ? ", paused" : "")
            + "); its runs are tasks schedule-"
            + request.name()
            + "-<time>: stepbox list --name "
            + ShellWords.quote(spec.name() == null ? "" : spec.name()));
    return TaskExit.OK;
  }

  private TaskSpec readSpec(String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new CommandException(
          TaskExit.USAGE, "no task file " + file + ": give the path of a TASK.yaml", null);
    }
    return TaskSpecs.read(path);
  }

  private int list(List<String> argv) {
    Args args = Args.parse("schedule list", argv, Set.of(), Set.of("json"));
    noMore(args, 0);
    List<ScheduleRow> rows;
    try (Schedules schedules = Schedules.connect(cli.config())) {
      rows = schedules.list();
    }
    if (args.flag("json")) {
      cli.printJson(rows);
    } else if (rows.isEmpty()) {
      cli.err().println("no schedules");
    } else {
      table(rows).forEach(cli.out()::println);
    }
    return TaskExit.OK;
  }

  static List<String> table(List<ScheduleRow> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(List.of("NAME", "TASK", "WHEN", "OVERLAP", "STATE", "NEXT RUN", "LAST RUN"));
    for (ScheduleRow r : rows) {
      String state = r.paused() ? "paused" + (r.note() == null ? "" : ": " + r.note()) : "active";
      String last = r.recentRuns().isEmpty() ? null : r.recentRuns().get(r.recentRuns().size() - 1);
      cells.add(
          List.of(
              r.name(),
              Text.orNone(r.task()),
              Text.orNone(r.when()),
              Text.orNone(r.overlap()),
              state,
              Text.orNone(r.nextRunTime()),
              Text.orNone(last)));
    }
    return Text.columns(cells);
  }

  private int change(String sub, List<String> argv) {
    boolean noted = sub.equals("pause") || sub.equals("unpause");
    Args args = Args.parse("schedule " + sub, argv, noted ? Set.of("note") : Set.of(), Set.of());
    String name = ScheduleRequest.checkName(args.positional(0, "the schedule's NAME"));
    noMore(args, 1);
    String note = args.get("note").orElse(null);
    try (Schedules schedules = Schedules.connect(cli.config())) {
      switch (sub) {
        case "pause" -> schedules.pause(name, note);
        case "unpause" -> schedules.unpause(name, note);
        case "trigger" -> schedules.trigger(name);
        default -> schedules.delete(name);
      }
    }
    Map<String, String> done =
        Map.of(
            "pause", "paused",
            "unpause", "unpaused",
            "trigger", "triggered",
            "delete", "deleted",
            "rm", "deleted");
    cli.err().println(done.get(sub) + " schedule " + name);
    return TaskExit.OK;
  }

  private static void noMore(Args args, int expected) {
    if (args.positionals().size() > expected) {
      throw new UsageException(
          "unexpected argument '"
              + args.positionals().get(expected)
              + "'; see stepbox schedule --help");
    }
  }
}
