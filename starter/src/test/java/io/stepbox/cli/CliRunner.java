package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Runs stepbox commands in process with one configuration and keeps what they printed. */
final class CliRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StepboxConfig config;

  CliRunner(StepboxConfig config) {
    this.config = config;
  }

  /** A finished command: its exit code and output. */
  record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException(out, e);
      }
    }
  }

  Run run(String... argv) {
    return run(new ByteArrayOutputStream(), new ByteArrayOutputStream(), argv);
  }

  /** Runs a command whose output the caller can watch while it runs. */
  Run run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... argv) {
    int code =
        Main.run(
            List.of(argv),
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code argv} every 200 ms until its run satisfies {@code done} (for eventually consistent
   * answers such as visibility listings), failing with the last run after {@code max}.
   */
  Run await(Duration max, Predicate<Run> done, String... argv) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Run r = run(argv);
      if (done.test(r)) {
        return r;
      }
      assertThat(System.nanoTime())
          .as("stepbox %s to answer as expected; last: %s", Arrays.toString(argv), r)
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
