package io.stepbox.cli;

import io.stepbox.workflows.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: {@code --name value} and {@code --name=value} options (repeatable), {@code
 * --flag}s, positionals, and everything after {@code --} as the command to run.
 */
public final class Args {
  private final String command;
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();
  private final List<String> rest = new ArrayList<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * @param command the command's name, for error messages ("sandbox run")
   * @param valued options that take a value
   * @param flags options that take none
   */
  public static Args parse(String command, List<String> argv, Set<String> valued, Set<String> flags) {
    Args args = new Args(command);
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("--")) {
        args.rest.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (!a.startsWith("--") || a.length() == 2) {
        args.positionals.add(a);
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name) && value == null) {
        args.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw new UsageException(
                "--" + name + " needs a value; see stepbox " + command + " --help");
          }
          value = argv.get(++i);
        }
        args.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException(
            "unknown option --"
                + name
                + " for 'stepbox "
                + command
                + "'; see stepbox "
                + command
                + " --help");
      }
    }
    return args;
  }

  public Optional<String> get(String name) {
    List<String> v = options.get(name);
    return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
  }

  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }

  public Optional<Duration> duration(String name) {
    return get(name).map(v -> usage(() -> Units.parseDuration("--" + name, v)));
  }

  public Optional<Long> bytes(String name) {
    return get(name).map(v -> usage(() -> Units.parseBytes("--" + name, v)));
  }

  public Optional<Double> number(String name) {
    return get(name)
        .map(
            v -> {
              try {
                return Double.parseDouble(v);
              } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": '" + v + "' is not a number");
              }
            });
  }

  /** A whole number of at least 1 ({@code --runs 5}), or {@code orElse} when absent. */
  public int atLeastOne(String name, int orElse) {
    int n = number(name).map(Double::intValue).orElse(orElse);
    if (n < 1) {
      throw new UsageException("--" + name + ": must be at least 1");
    }
    return n;
  }

  public List<String> positionals() {
    return positionals;
  }

  /** The positional at {@code index}, or a usage error that names it. */
  public String positional(int index, String what) {
    if (index >= positionals.size()) {
      throw new UsageException("missing " + what + "; usage: stepbox " + command + " --help");
    }
    return positionals.get(index);
  }

  /** The command after {@code --}; a usage error when there is none. */
  public List<String> commandLine() {
    if (rest.isEmpty()) {
      throw new UsageException(
          "missing the command to run after --, for example: stepbox "
              + command
              + " -- echo hello");
    }
    return rest;
  }

  private static <T> T usage(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
