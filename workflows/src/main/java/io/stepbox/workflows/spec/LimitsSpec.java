package io.stepbox.workflows.spec;

import io.stepbox.workflows.Units;
import io.stepbox.workflows.step.StepLimits;

/**
 * Step limits as users write them: every field optional, sizes like {@code 1g}, durations like
 * {@code 10m}.
 *
 * @param cpus CPUs, such as {@code 0.5} or {@code 2}
 * @param memory memory size
 * @param pids maximum number of processes
 * @param timeout wall-clock time a step may run
 * @param output bytes of stdout and of stderr kept per step
 * @param disk writable disk size; absent means no quota
 */
public record LimitsSpec(
    Double cpus, String memory, Integer pids, String timeout, String output, String disk) {

  /** No field set: every limit takes its default. */
  public static final LimitsSpec NONE = new LimitsSpec(null, null, null, null, null, null);

  /** These limits where set, the {@code base} limits elsewhere. */
  public LimitsSpec over(LimitsSpec base) {
    if (base == null) {
      return this;
    }
    return new LimitsSpec(
        cpus != null ? cpus : base.cpus,
        memory != null ? memory : base.memory,
        pids != null ? pids : base.pids,
        timeout != null ? timeout : base.timeout,
        output != null ? output : base.output,
        disk != null ? disk : base.disk);
  }

  /**
   * The limits a step runs with: these fields where set, {@link StepLimits#DEFAULTS} elsewhere.
   *
   * @throws IllegalArgumentException when a field does not parse; validate the spec first
   */
  public StepLimits resolve() {
    StepLimits d = StepLimits.DEFAULTS;
    return new StepLimits(
        cpus != null ? cpus : d.cpus(),
        memory != null ? Units.parseBytes("memory", memory) : d.memoryBytes(),
        pids != null ? pids : d.processes(),
        timeout != null ? Units.parseDuration("timeout", timeout).toMillis() : d.timeoutMillis(),
        output != null ? Units.parseBytes("output", output) : d.outputBytes(),
        disk != null ? Units.parseBytes("disk", disk) : d.diskBytes());
  }
}
