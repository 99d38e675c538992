package io.stepbox.workflows.spec;

/** Checks a {@link LimitsSpec} written at {@code limits} or {@code steps[i].limits}. */
final class LimitsChecks {
  private LimitsChecks() {}

  static void check(SpecErrors errors, String path, LimitsSpec limits) {
    if (limits == null) {
      return;
    }
    Double cpus = limits.cpus();
    if (cpus != null && !(cpus > 0 && cpus <= 1024)) {
      errors.add(path + ".cpus", "must be more than 0, got " + cpus);
    }
    if (limits.pids() != null && limits.pids() <= 0) {
      errors.add(path + ".pids", "must be at least 1, got " + limits.pids());
    }
    errors.size(path + ".memory", limits.memory());
    errors.duration(path + ".timeout", limits.timeout());
    errors.size(path + ".output", limits.output());
    errors.size(path + ".disk", limits.disk());
  }
}
