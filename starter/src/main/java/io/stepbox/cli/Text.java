package io.stepbox.cli;

import io.stepbox.workflows.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text for people shared by the commands: tables, empty cells, short durations. */
public final class Text {
  private static final String NONE = "-";

  private Text() {}

  /** Cells padded to the widest of each column, two spaces apart, trailing blanks cut. */
  public static List<String> columns(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** {@code s}, or {@code -} when it is null or empty. */
  public static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  /** A duration as people read it: {@code 840ms}, {@code 3.2s}, {@code 1m5s}. */
  public static String duration(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    return Units.formatDuration(Duration.ofSeconds(Math.round(millis / 1000.0)));
  }
}
