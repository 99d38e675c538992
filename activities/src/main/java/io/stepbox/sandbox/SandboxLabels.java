package io.stepbox.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels on every stepbox container. Cleanup finds containers by these labels, never by
 * remembered ids, so that a crashed process's sandboxes can be found by the next one.
 */
public final class SandboxLabels {
  /** Always {@code true}: marks what stepbox made. */
  public static final String MANAGED = "stepbox.managed";

  /** Worker id of the process that made the sandbox. */
  public static final String WORKER = "stepbox.worker";

  /** Identifies one run of that worker; a different value means an earlier run made it. */
  public static final String WORKER_RUN = "stepbox.worker-run";

  public static final String TASK = "stepbox.task";
  public static final String STEP = "stepbox.step";

  /**
   * {@code true} on a sandbox started ahead of time for {@link SandboxPool}. Its task and step are
   * in its name once it is taken (labels cannot change): {@link SandboxRuntime#list()} shows them.
   */
  public static final String POOL = "stepbox.pool";

  /** Most processes a command may run; execs apply it to themselves. */
  public static final String PROCESSES = "stepbox.processes";

  /** Epoch seconds after which the reaper removes the sandbox. */
  public static final String EXPIRES = "stepbox.expires";

  private SandboxLabels() {}

  static Map<String, String> forSpec(
      SandboxSpec spec, String workerId, String workerRun, Instant expires) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    labels.put(WORKER, workerId);
    labels.put(WORKER_RUN, workerRun);
    spec.task().ifPresent(t -> labels.put(TASK, t));
    spec.step().ifPresent(s -> labels.put(STEP, s));
    labels.put(PROCESSES, spec.isGvisor() ? Integer.toString(spec.processes()) : "unlimited");
    labels.put(EXPIRES, Long.toString(expires.getEpochSecond()));
    return labels;
  }

  static Optional<Instant> expiry(Map<String, String> labels) {
    try {
      String value = labels.get(EXPIRES);
      return value == null
          ? Optional.empty()
          : Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
