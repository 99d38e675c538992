package io.stepbox.cli.sandbox;

import io.stepbox.cli.Converters;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout T} of a command run in a sandbox ({@code sandbox run} and {@code exec}). */
final class TimeoutOption {
  @Option(
      names = "--timeout",
      paramLabel = "T",
      converter = Converters.DurationValue.class,
      description = "kill CMD after T (exit 124)")
  Duration timeout;
}
