package io.stepbox.workflows;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the human units used everywhere stepbox takes input: durations written like
 * {@code 30s}, {@code 10m}, {@code 1h}, {@code 1500ms}, {@code 2d} and byte sizes written like
 * {@code 512m}, {@code 1g}, {@code 64k}, {@code 1024} (binary multiples, as Docker reads them).
 *
 * <p>Both parsers reject what they cannot read with an {@link IllegalArgumentException} whose
 * message names the field, the bad value and the accepted forms.
 */
public final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)([kmgt]?)(i?b?)?");

  private Units() {}

  /**
   * Reads a duration such as {@code 30s}, {@code 10m}, {@code 1h30m} or {@code 250ms}.
   *
   * @param field what the value is for, named in the error message
   * @throws IllegalArgumentException when the text is not a positive duration
   */
  public static Duration parseDuration(String field, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.lookingAt()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
      m.region(end, t.length());
    }
    if (t.isEmpty() || end != t.length() || total.isZero()) {
      throw new IllegalArgumentException(
          field + ": '" + text + "' is not a duration; write it like 30s, 10m, 1h or 1h30m");
    }
    return total;
  }

  /**
   * Reads a byte size such as {@code 512m}, {@code 1g}, {@code 1GiB} or {@code 4096}.
   *
   * @throws IllegalArgumentException when the text is not a positive size
   */
  public static long parseBytes(String field, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = BYTES.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          field + ": '" + text + "' is not a size; write it like 64k, 512m, 1g or a byte count");
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    long n = Long.parseLong(m.group(1));
    if (n == 0 || n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(field + ": '" + text + "' is out of range");
    }
    return n << shift;
  }

  /** Prints a duration the way {@link #parseDuration} reads it, for example {@code 1h30m}. */
  public static String formatDuration(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    StringBuilder out = new StringBuilder();
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (s >= sizes[i]) {
        out.append(s / sizes[i]).append(names[i]);
        s %= sizes[i];
      }
    }
    return out.isEmpty() ? "0s" : out.toString();
  }

  /** Prints a byte count in binary units with one decimal, for example {@code 1.5 MiB}. */
  public static String formatBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
