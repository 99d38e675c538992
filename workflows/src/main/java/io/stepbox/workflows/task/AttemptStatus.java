package io.stepbox.workflows.task;

import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepResult;

/**
 * One run of a step's command or of one of its approaches: output tails and references only.
 *
 * @param approach {@code default} or the approach's name
 * @param outcome EXITED, TIMED_OUT, OOM_KILLED, or {@value #ERROR} when the activity failed
 * @param exitCode the exit code; null when the activity failed
 * @param snapshot the snapshot after the command; kept even when the attempt failed
 * @param snapshotBytes size of the snapshot's diff
 * @param uploadedBytes bytes uploaded to the store
 * @param stdoutTail last bytes of stdout
 * @param stderrTail last bytes of stderr
 * @param stdoutRef blob key of the full stdout
 * @param stderrRef blob key of the full stderr
 * @param phases the worker's time breakdown
 * @param durationMillis time from scheduling to result, as the workflow saw it
 * @param warm whether the attempt ran in a sandbox kept warm by the previous step
 * @param error why the activity failed, or null
 * @param egress what went through the egress proxy; null when the attempt had no egress
 */
public record AttemptStatus(
    String approach,
    String outcome,
    Integer exitCode,
    String snapshot,
    long snapshotBytes,
    long uploadedBytes,
    String stdoutTail,
    String stderrTail,
    String stdoutRef,
    String stderrRef,
    StepPhases phases,
    long durationMillis,
    boolean warm,
    String error,
    EgressSummary egress) {

  /** The outcome of an attempt whose activity failed (after its retries). */
  public static final String ERROR = "ERROR";

  /** An attempt's status without egress. */
  public AttemptStatus(
      String approach,
      String outcome,
      Integer exitCode,
      String snapshot,
      long snapshotBytes,
      long uploadedBytes,
      String stdoutTail,
      String stderrTail,
      String stdoutRef,
      String stderrRef,
      StepPhases phases,
      long durationMillis,
      boolean warm,
      String error) {
    this(
        approach,
        outcome,
        exitCode,
        snapshot,
        snapshotBytes,
        uploadedBytes,
        stdoutTail,
        stderrTail,
        stdoutRef,
        stderrRef,
        phases,
        durationMillis,
        warm,
        error,
        null);
  }

  /** The status of an attempt of {@code approach} that returned {@code r}. */
  public static AttemptStatus of(String approach, StepResult r, long durationMillis, boolean warm) {
    return new AttemptStatus(
        approach,
        r.outcome().name(),
        r.exitCode(),
        r.snapshotId(),
        r.snapshotBytes(),
        r.uploadedBytes(),
        r.stdoutTail(),
        r.stderrTail(),
        r.stdoutRef(),
        r.stderrRef(),
        r.phases(),
        durationMillis,
        warm,
        null,
        r.egress());
  }

  /** The status of an attempt whose activity failed with {@code error}. */
  public static AttemptStatus failed(String approach, String error, long durationMillis) {
    return new AttemptStatus(
        approach,
        ERROR,
        null,
        null,
        0,
        0,
        null,
        null,
        null,
        null,
        null,
        durationMillis,
        false,
        error,
        null);
  }
}
