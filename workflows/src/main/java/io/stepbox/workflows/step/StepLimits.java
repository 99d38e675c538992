package io.stepbox.workflows.step;

/**
 * Resource limits of one step's sandbox.
 *
 * @param cpus CPUs the sandbox may use
 * @param memoryBytes memory limit; exceeding it ends the step as {@code OOM_KILLED}
 * @param processes maximum number of processes (pids)
 * @param timeoutMillis wall-clock time the command may run; exceeding it is {@code TIMED_OUT}
 * @param outputBytes bytes of stdout and of stderr kept; the rest is dropped and counted
 * @param diskBytes writable disk quota; 0 means no quota
 */
public record StepLimits(
    double cpus,
    long memoryBytes,
    int processes,
    long timeoutMillis,
    long outputBytes,
    long diskBytes) {

  /** 1 CPU, 1 GiB, 512 processes, 10 minutes, 1 MiB of output, no disk quota. */
  public static final StepLimits DEFAULTS =
      new StepLimits(1.0, 1L << 30, 512, 10 * 60_000L, 1L << 20, 0);
}
