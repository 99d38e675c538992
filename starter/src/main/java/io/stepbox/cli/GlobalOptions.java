package io.stepbox.cli;

import io.stepbox.logging.LogFormat;
import java.util.List;

/**
 * Options before the command ({@code stepbox --log-format json worker}) and the command line after
 * them. {@code --log-format} wins over STEPBOX_LOG_FORMAT.
 *
 * @param logFormat how log lines look
 * @param command the command and its arguments
 */
record GlobalOptions(LogFormat logFormat, List<String> command) {
  static GlobalOptions parse(List<String> argv, StepboxConfig config) {
    LogFormat format = null;
    int i = 0;
    while (i < argv.size() && argv.get(i).startsWith("--log-format")) {
      String a = argv.get(i);
      String value;
      if (a.startsWith("--log-format=")) {
        value = a.substring("--log-format=".length());
      } else if (a.equals("--log-format") && i + 1 < argv.size()) {
        value = argv.get(++i);
      } else {
        throw new UsageException("--log-format needs a value: text or json");
      }
      try {
        format = LogFormat.parse("--log-format", value);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      i++;
    }
    return new GlobalOptions(
        format == null ? config.logFormatOrDefault() : format, argv.subList(i, argv.size()));
  }
}
