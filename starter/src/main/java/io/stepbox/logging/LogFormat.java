package io.stepbox.logging;

import java.util.Locale;

/** How log lines look: {@code text} for people (the default), {@code json} for collectors. */
public enum LogFormat {
  TEXT,
  JSON;

  /**
   * The format named {@code value} ({@code text} or {@code json}, any case).
   *
   * @param source where the value came from, for the message ({@code --log-format})
   * @throws IllegalArgumentException naming {@code source} when it is neither
   */
  public static LogFormat parse(String source, String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              source + ": '" + value + "' is not a log format; use text or json");
    };
  }
}
