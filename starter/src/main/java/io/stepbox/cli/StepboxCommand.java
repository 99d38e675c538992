package io.stepbox.cli;

import io.stepbox.logging.LogFormat;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepbox}: the top-level command, its global option and the small commands of its own. */
@Command(
    name = "stepbox",
    header = "stepbox: durable, sandboxed steps for AI-agent work",
    synopsisHeading = "%nUsage: ",
    customSynopsis = "stepbox COMMAND [ARGS]    (--log-format FORMAT goes before COMMAND)",
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    footer = {
      "",
      "stepbox --log-format json COMMAND (or STEPBOX_LOG_FORMAT=json): a JSON object per log line"
          + " on stderr, with the task and step ids, the worker's notices too. run --wait and demo"
          + " show a live step timeline on a terminal, a line per step event otherwise.",
      "",
      "Configuration comes from the environment: DOCKER_HOST, STEPBOX_WORKER_ID, STEPBOX_RUNTIME,"
          + " STEPBOX_DATA_DIR, STEPBOX_BLOB_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,"
          + " STEPBOX_TEMPORAL_CLI, STEPBOX_METRICS_PORT (9464; 0 any"
          + " free port; off), STEPBOX_METRICS_HOST (127.0.0.1), STEPBOX_LOG_FORMAT (see README).",
      "",
      "Exit codes of run, status, logs, approve, reject: 0 ok (the task COMPLETED), 1 the task"
          + " FAILED or was REJECTED, no such task, or a refused decision; 2 bad command line or"
          + " invalid spec; 3 the task is still running (status); 125 Temporal unreachable or no"
          + " worker answered. session exec and sandbox run exit with the command's code (124"
          + " timed out, 137 out of memory).",
      ""
    })
final class StepboxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      converter = Converters.LogFormatValue.class,
      description = "text or json (default: STEPBOX_LOG_FORMAT, else text)")
  LogFormat logFormat;

  private final Cli cli;

  StepboxCommand(Cli cli) {
    this.cli = cli;
  }

  /** No command: the usage, and exit 2 (a script that forgot its command fails). */
  @Override
  public Integer call() {
    spec.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }

  /** The log format: --log-format, else STEPBOX_LOG_FORMAT, else text. */
  LogFormat logFormat() {
    return logFormat != null ? logFormat : cli.config().logFormatOrDefault();
  }

  @Command(
      name = "setup",
      description = {
        "make this host ready (root; Debian/Ubuntu): dockerd, gVisor, images",
        "Run it through the launcher: ./stepbox setup"
      })
  int setup() {
    throw new UsageException("run setup through the launcher: ./stepbox setup");
  }

  @Command(name = "version", description = "print the version")
  int version() {
    cli.out().println("stepbox " + Main.version());
    return TaskExit.OK;
  }

  @Command(
      name = "completion",
      description = "print a bash completion script: source <(stepbox completion)")
  int completion() {
    cli.out().print(AutoComplete.bash("stepbox", spec.commandLine()));
    cli.out().flush();
    return TaskExit.OK;
  }

  /** The usage of a command group run without its subcommand, with exit 2. */
  static int groupUsage(CommandSpec group, Cli cli) {
    group.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }

  static CommandLine.Help.ColorScheme plain() {
    return CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF);
  }
}
