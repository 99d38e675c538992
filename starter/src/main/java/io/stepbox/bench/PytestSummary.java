package io.stepbox.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The closing line of a pytest run, such as {@code 1 failed, 764 passed, 3 warnings in 12.50s}
 * (decorated with {@code =} without {@code -q}; {@code (0:01:23)} after the seconds past a minute).
 *
 * @param counts how many of each kind: passed, failed, errors, skipped, xfailed, xpassed,
 *     deselected, warnings (singular words are counted under the plural: error, warning)
 * @param seconds the suite's own time, as pytest reports it
 */
record PytestSummary(Map<String, Integer> counts, double seconds) {
  private static final Pattern LINE =
      Pattern.compile("^=*\\s*(.*?)\\s+in\\s+([0-9]+(?:\\.[0-9]+)?)s(?:\\s+\\([0-9:]+\\))?\\s*=*$");
  private static final Pattern DURATION =
      Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)s\\s+call\\s+(\\S+)$");
  private static final Pattern COUNT =
      Pattern.compile(
          "([0-9]+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)");

  PytestSummary {
    counts = Map.copyOf(counts);
  }

  /** The last summary line in {@code output}; empty when pytest printed none. */
  static Optional<PytestSummary> parse(String output) {
    String[] lines = output.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      Optional<PytestSummary> s = parseLine(lines[i].strip());
      if (s.isPresent()) {
        return s;
      }
    }
    return Optional.empty();
  }

  /**
   * The tests' own times from the table {@code --durations=N} prints ({@code 15.53s call
   * tests/test_more.py::TestSerialize::test_concurrent_calls}), slowest first, in milliseconds;
   * setup and teardown rows are left out.
   */
  static Map<String, Long> slowestCalls(String output) {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : output.split("\\R")) {
      Matcher m = DURATION.matcher(line.strip());
      if (m.matches()) {
        calls.putIfAbsent(m.group(2), Math.round(Double.parseDouble(m.group(1)) * 1000));
      }
    }
    return calls;
  }

  private static Optional<PytestSummary> parseLine(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (!m.group(1).equals("no tests ran")) {
      for (String part : m.group(1).split(",\\s*")) {
        Matcher c = COUNT.matcher(part.strip());
        if (!c.matches()) {
          return Optional.empty();
        }
        counts.merge(plural(c.group(2)), Integer.parseInt(c.group(1)), Integer::sum);
      }
    }
    return Optional.of(new PytestSummary(counts, Double.parseDouble(m.group(2))));
  }

  private static String plural(String word) {
    return word.equals("error") || word.equals("warning") ? word + "s" : word;
  }

  int count(String kind) {
    return counts.getOrDefault(kind, 0);
  }

  /** Tests that ran to a verdict: passed, failed, errors, skipped, xfailed and xpassed. */
  int tests() {
    return count("passed")
        + count("failed")
        + count("errors")
        + count("skipped")
        + count("xfailed")
        + count("xpassed");
  }

  /** Whether at least one test ran and none failed or ended in an error. */
  boolean allPassed() {
    return count("passed") > 0 && count("failed") == 0 && count("errors") == 0;
  }

  long millis() {
    return Math.round(seconds * 1000);
  }
}
