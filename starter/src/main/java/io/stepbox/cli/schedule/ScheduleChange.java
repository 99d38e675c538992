package io.stepbox.cli.schedule;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code schedule pause|unpause|trigger|delete NAME}: one change to a schedule. */
abstract class ScheduleChange implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "the schedule's NAME")
  String name;

  private final Cli cli;

  ScheduleChange(Cli cli) {
    this.cli = cli;
  }

  abstract void apply(Schedules schedules, String name);

  /** The change in the past tense, for the note on stderr. */
  abstract String done();

  @Override
  public Integer call() {
    ScheduleRequest.checkName(name);
    try (Schedules schedules = Schedules.connect(cli.config())) {
      apply(schedules, name);
    }
    cli.err().println(done() + " schedule " + name);
    return TaskExit.OK;
  }

  /** A change with a note, recorded on the schedule. */
  abstract static class Noted extends ScheduleChange {
    @Option(names = "--note", paramLabel = "N", description = "why, kept on the schedule")
    String note;

    Noted(Cli cli) {
      super(cli);
    }
  }

  @Command(name = "pause", description = "stop starting runs (running ones go on)")
  static final class Pause extends Noted {
    Pause(Cli cli) {
      super(cli);
    }

    @Override
    void apply(Schedules schedules, String name) {
      schedules.pause(name, note);
    }

    @Override
    String done() {
      return "paused";
    }
  }

  @Command(name = "unpause", description = "start runs again")
  static final class Unpause extends Noted {
    Unpause(Cli cli) {
      super(cli);
    }

    @Override
    void apply(Schedules schedules, String name) {
      schedules.unpause(name, note);
    }

    @Override
    String done() {
      return "unpaused";
    }
  }

  @Command(name = "trigger", description = "start a run now")
  static final class Trigger extends ScheduleChange {
    Trigger(Cli cli) {
      super(cli);
    }

    @Override
    void apply(Schedules schedules, String name) {
      schedules.trigger(name);
    }

    @Override
    String done() {
      return "triggered";
    }
  }

  @Command(
      name = "delete",
      aliases = "rm",
      description = "remove the schedule (runs it started go on)")
  static final class Delete extends ScheduleChange {
    Delete(Cli cli) {
      super(cli);
    }

    @Override
    void apply(Schedules schedules, String name) {
      schedules.delete(name);
    }

    @Override
    String done() {
      return "deleted";
    }
  }
}
