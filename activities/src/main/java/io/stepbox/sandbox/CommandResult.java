package io.stepbox.sandbox;

import io.stepbox.workflows.step.ExecOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a command ended and the tails of what it printed. {@code stdoutBytes}/{@code stderrBytes}
 * count everything printed; the tails hold at most the request's output limit, and {@link
 * #truncated()} says when they are not everything.
 */
public record CommandResult(
    ExecOutcome outcome,
    int exitCode,
    byte[] stdoutTail,
    byte[] stderrTail,
    long stdoutBytes,
    long stderrBytes,
    Duration duration) {

  /** True when either tail lost bytes to the output limit. */
  public boolean truncated() {
    return stdoutBytes > stdoutTail.length || stderrBytes > stderrTail.length;
  }

  /** The stdout tail as UTF-8 text (a cut multi-byte character shows as a replacement). */
  public String stdout() {
    return new String(stdoutTail, StandardCharsets.UTF_8);
  }

  public String stderr() {
    return new String(stderrTail, StandardCharsets.UTF_8);
  }

  /** True when the command exited by itself with code 0. */
  public boolean succeeded() {
    return outcome == ExecOutcome.EXITED && exitCode == 0;
  }
}
