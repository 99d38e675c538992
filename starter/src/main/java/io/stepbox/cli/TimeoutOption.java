package io.stepbox.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout T} of a command ({@code sandbox run|exec}, {@code session exec}). */
public final class TimeoutOption {
  @Option(
      names = "--timeout",
      paramLabel = "T",
      converter = Converters.DurationValue.class,
      description = "kill CMD after T (exit 124)")
  private Duration timeout;

  /** {@code --timeout}, or null. */
  public Duration timeout() {
    return timeout;
  }
}
