package io.stepbox.cli;

import io.stepbox.bench.BenchCommand;
import io.stepbox.cli.sandbox.SandboxCommand;
import io.stepbox.cli.schedule.ScheduleCommand;
import io.stepbox.cli.session.SessionCommand;
import io.stepbox.cli.snapshot.SnapshotCommand;
import io.stepbox.cli.task.TaskCommands;
import io.stepbox.logging.LogFormat;
import io.stepbox.logging.Logging;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code stepbox} command line. Exit codes: the command's own, 1 failure, 2 usage, 3 task still
 * running, 125 engine or Temporal unavailable (mapped in {@link Failures}).
 */
public final class Main {
  /** Columns of the help text, whatever the terminal: the help reads the same everywhere. */
  static final int HELP_WIDTH = 100;

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), StepboxConfig.fromEnvironment(), System.out, System.err));
  }

  /** Runs one command line and returns its exit code. */
  public static int run(List<String> line, StepboxConfig config, PrintStream out, PrintStream err) {
    try (Cli cli = new Cli(config, System.in, out, err)) {
      return commandLine(cli).execute(line.toArray(String[]::new));
    }
  }

  /** Every command, with stepbox's help layout, usage errors and exit codes. */
  static CommandLine commandLine(Cli cli) {
    StepboxCommand root = new StepboxCommand(cli);
    CommandLine line = new CommandLine(root, new CliFactory(cli));
    line.addSubcommand(DoctorCommand.class);
    line.addSubcommand(WorkerCommand.class);
    TaskCommands.ALL.forEach(line::addSubcommand);
    List.of(
            ScheduleCommand.class,
            SessionCommand.class,
            SandboxCommand.class,
            SnapshotCommand.class,
            BenchCommand.class)
        .forEach(line::addSubcommand);
    line.addSubcommand(helpCommand());
    addHelp(line);
    return line.setUsageHelpWidth(HELP_WIDTH)
        .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
        .setOverwrittenOptionsAllowed(true)
        .setOut(new PrintWriter(cli.out(), true))
        .setErr(new PrintWriter(cli.err(), true))
        .setParameterExceptionHandler(new UsageErrors(cli.err()))
        .setExecutionExceptionHandler(new Failures(cli.err()))
        .setExecutionStrategy(
            parsed -> {
              LogFormat format = logFormat(root, line);
              Logging.configure(format);
              cli.useLogFormat(format);
              return new CommandLine.RunLast().execute(parsed);
            });
  }

  private static LogFormat logFormat(StepboxCommand root, CommandLine line) {
    try {
      return root.logFormat();
    } catch (UsageException e) {
      throw new ParameterException(line, e.getMessage());
    }
  }

  /** {@code --help} on every command, and {@code help} in every group of commands. */
  private static void addHelp(CommandLine command) {
    if (command.getCommandSpec().optionsMap().get("--help") == null) {
      command
          .getCommandSpec()
          .addOption(
              OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    }
    if (command.getParent() != null && !command.getSubcommands().isEmpty()) {
      command.addSubcommand(helpCommand());
    }
    command.getSubcommands().values().stream()
        .filter(sub -> sub.getParent() == command && !sub.getCommandName().equals("help"))
        .forEach(Main::addHelp);
  }

  /** picocli's {@code help}, described in the lowercase of the other commands. */
  private static CommandLine helpCommand() {
    CommandLine help = new CommandLine(new HelpCommand());
    help.getCommandSpec().usageMessage().header("show a command's help");
    return help;
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
