package io.stepbox.client;

import io.stepbox.workflows.ExitCodes;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepResult;
import java.time.Duration;

/**
 * What one exec of a session did. The output tails are the last {@value StepResult#TAIL_BYTES}
 * bytes of each stream; {@link SessionHandle#openOutput} reads all of it.
 *
 * @param stepId the exec's step id in the session ({@code exec-<n>})
 * @param outcome how the command ended
 * @param exitCode the command's exit code; meaningful when {@link ExecOutcome#EXITED}
 * @param stdoutTail the end of stdout
 * @param stderrTail the end of stderr
 * @param snapshotId the snapshot after the command, where the session now is
 * @param duration the whole step as the worker measured it: sandbox, command and snapshot
 * @param warm whether the step reused the sandbox a worker kept from the previous exec instead of
 *     restoring the snapshot into a new one
 * @param step the step's full result: output sizes and references, phases, snapshot sizes
 */
public record ExecResult(
    String stepId,
    ExecOutcome outcome,
    int exitCode,
    String stdoutTail,
    String stderrTail,
    String snapshotId,
    Duration duration,
    boolean warm,
    StepResult step) {

  /** The result of a session's exec, as the workflow returned it. */
  public static ExecResult of(StepResult r) {
    return new ExecResult(
        r.stepId(),
        r.outcome(),
        r.exitCode(),
        r.stdoutTail() == null ? "" : r.stdoutTail(),
        r.stderrTail() == null ? "" : r.stderrTail(),
        r.snapshotId(),
        Duration.ofMillis(r.phases().totalMillis()),
        r.warm(),
        r);
  }

  /** Whether the command exited with code 0. */
  public boolean succeeded() {
    return outcome == ExecOutcome.EXITED && exitCode == 0;
  }

  /**
   * What the exec's requests through the egress proxy did: counts, bytes and the first denials
   * ({@link SessionHandle#egress} reads the whole log). {@link EgressSummary#EMPTY} when the
   * session has no egress or the command made no request.
   */
  public EgressSummary egress() {
    return step.egress() == null ? EgressSummary.EMPTY : step.egress();
  }

  /**
   * The exit code a shell would report: the command's own, {@value ExitCodes#TIMED_OUT} when it timed
   * out, {@value ExitCodes#OOM_KILLED} when it ran out of memory.
   */
  public int shellExitCode() {
    return switch (outcome) {
      case EXITED -> exitCode;
      case TIMED_OUT -> ExitCodes.TIMED_OUT;
      case OOM_KILLED -> ExitCodes.OOM_KILLED;
    };
  }
}
