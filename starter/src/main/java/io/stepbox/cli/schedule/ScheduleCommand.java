package io.stepbox.cli.schedule;

import io.stepbox.cli.Cli;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.Converters;
import io.stepbox.cli.ShellWords;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.Text;
import io.stepbox.client.TaskSpecs;
import io.stepbox.workflows.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepbox schedule ...}: tasks that run on a schedule, through Temporal Schedules. */
@Command(
    name = "schedule",
    description = "run a task on a cron or interval: create, list, pause, unpause, trigger, delete",
    subcommands = {
      ScheduleCommand.Create.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleChange.Pause.class,
      ScheduleChange.Unpause.class,
      ScheduleChange.Trigger.class,
      ScheduleChange.Delete.class
    },
    footer = {
      "stepbox schedule create NAME (--cron EXPR | --every DURATION) TASK.yaml",
      "                        [--overlap POLICY] [--paused]",
      "Exit codes: 0 done, 1 no such schedule or the name is taken, 2 bad command line, invalid"
          + " spec or cron, 125 Temporal unreachable. Needs a real Temporal server."
    })
public final class ScheduleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return TaskExit.USAGE;
  }

  /** {@code schedule create NAME (--cron EXPR | --every DURATION) TASK.yaml}. */
  @Command(
      name = "create",
      description = {
        "run TASK.yaml on a schedule; the spec is read and checked now and each run is a task with"
            + " id schedule-NAME-<run time>"
      },
      customSynopsis = {
        "stepbox schedule create NAME (--cron EXPR | --every DURATION) TASK.yaml",
        "                        [--overlap POLICY] [--paused]"
      })
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the schedule's NAME")
    String name;

    @Parameters(index = "1", paramLabel = "TASK.yaml", description = "the task file (TASK.yaml)")
    String file;

    @Option(
        names = "--cron",
        paramLabel = "EXPR",
        description = "5 fields ('0 3 * * *': daily at 03:00 UTC)")
    String cron;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        converter = Converters.DurationValue.class,
        description = "30s, 15m, 1h, 1d")
    Duration every;

    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        description =
            "what happens to a run due while the last still runs: skip (default), buffer-one,"
                + " buffer-all, cancel-other, terminate-other, allow-all")
    String overlap = "skip";

    @Option(names = "--paused", description = "create it paused")
    boolean paused;

    private final Cli cli;

    Create(Cli cli) {
      this.cli = cli;
    }

    ScheduleRequest request() {
      return ScheduleRequest.of(name, cron, every, overlap, paused);
    }

    @Override
    public Integer call() {
      ScheduleRequest request = request();
      TaskSpec spec = readSpec(file);
      try (Schedules schedules = Schedules.connect(cli.config())) {
        schedules.create(request, spec);
      }
      cli.out().println(request.name());
      cli.err()
          .println(
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

    private static TaskSpec readSpec(String file) {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw new CommandException(
            TaskExit.USAGE, "no task file " + file + ": give the path of a TASK.yaml", null);
      }
      return TaskSpecs.read(path);
    }
  }

  /** {@code schedule list [--json]}. */
  @Command(
      name = "list",
      aliases = "ls",
      description = "every schedule: when, paused, next run, latest runs")
  static final class ListSchedules implements Callable<Integer> {
    @Option(names = "--json", description = "a JSON list of the schedules")
    boolean json;

    private final Cli cli;

    ListSchedules(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      List<ScheduleRow> rows;
      try (Schedules schedules = Schedules.connect(cli.config())) {
        rows = schedules.list();
      }
      if (json) {
        cli.printJson(rows);
      } else if (rows.isEmpty()) {
        cli.err().println("no schedules");
      } else {
        table(rows).forEach(cli.out()::println);
      }
      return TaskExit.OK;
    }
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
}
