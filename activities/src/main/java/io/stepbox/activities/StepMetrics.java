package io.stepbox.activities;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stepbox.workflows.step.ExecOutcome;
import java.time.Duration;

/**
 * The step timer {@code stepbox.step.run} (Prometheus: {@code stepbox_step_run_seconds}; its {@code
 * _count} counts steps), from the activity's start to its result, tagged with the {@code result}
 * ({@code ok}: exit 0, {@code failed}: another exit code, {@code timed_out}, {@code oom_killed},
 * {@code error}: no result, the activity failed) and how the sandbox was had ({@code start}: {@code
 * warm}, or cold from a {@code restore} or an {@code image}; {@code none} when the step failed
 * before it had one).
 */
final class StepMetrics {
  static final String WARM = "warm";
  static final String RESTORE = "restore";
  static final String IMAGE = "image";
  static final String NONE = "none";

  private final MeterRegistry registry;

  StepMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The {@code result} tag of a step that ran its command. */
  static String result(ExecOutcome outcome, int exitCode) {
    return switch (outcome) {
      case EXITED -> exitCode == 0 ? "ok" : "failed";
      case TIMED_OUT -> "timed_out";
      case OOM_KILLED -> "oom_killed";
    };
  }

  void record(String result, String start, Duration took) {
    Timer.builder("stepbox.step.run")
        .description("Steps, from the activity's start to its result")
        .tag("result", result)
        .tag("start", start)
        .register(registry)
        .record(took);
  }
}
