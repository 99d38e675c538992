package io.stepbox.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A bad command line: {@code stepbox: MESSAGE} on stderr, exit 2. The messages say what was wrong
 * and where the help is, in stepbox's words rather than picocli's.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  private final PrintStream err;

  UsageErrors(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    err.println("stepbox: " + message(e));
    return TaskExit.USAGE;
  }

  /** What is wrong with the command line of {@code e}, in stepbox's words. */
  public static String message(ParameterException e) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    String path = spec.qualifiedName();
    String help = "see " + path + " --help";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      return unmatched(spec, u.getUnmatched().get(0), path, help);
    }
    if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
      return missing(m, m.getMissing().get(0), help);
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + ": " + t.getMessage();
    }
    return e.getMessage();
  }

  private static String unmatched(CommandSpec spec, String arg, String path, String help) {
    if (arg.startsWith("-") && arg.length() > 1) {
      String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      return "unknown option " + option + " for '" + path + "'; " + help;
    }
    if (!spec.subcommands().isEmpty()) {
      String command = (spec.parent() == null ? "" : path.substring("stepbox ".length()) + " ");
      String where = spec.parent() == null ? "stepbox help" : path + " --help";
      return "unknown command '" + command + arg + "'; " + where + " lists the commands";
    }
    if (spec.positionalParameters().isEmpty()) {
      return spec.name() + " takes no arguments, only options; " + help;
    }
    return "unexpected argument '" + arg + "'; " + help;
  }

  private static String missing(MissingParameterException e, ArgSpec arg, String help) {
    if (e.getMessage().startsWith("Missing required parameter for option")) {
      return name(arg) + " needs a value; " + help;
    }
    if (arg instanceof OptionSpec option) {
      return "missing " + option.longestName() + " " + option.paramLabel() + "; " + help;
    }
    List<String> description = List.of(arg.description());
    return "missing " + (description.isEmpty() ? arg.paramLabel() : description.get(0)) + "; " + help;
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }
}
