package io.stepbox.sandbox;

import java.time.Duration;
import java.util.Map;

/** Reads {@link SandboxPool.Settings} from the environment; see its {@code fromEnvironment}. */
final class PoolEnvironment {
  private PoolEnvironment() {}

  static SandboxPool.Settings read(Map<String, String> env) {
    long quarter = physicalMemory() / 4;
    return new SandboxPool.Settings(
        number(env, "STEPBOX_POOL_SIZE", 1),
        number(env, "STEPBOX_POOL_MAX", 4),
        quarter,
        Duration.ofSeconds(Math.max(1, number(env, "STEPBOX_POOL_IDLE_SECONDS", 300))));
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw SandboxException.invalid(
        name + "=" + v + " is not a count; set a whole number of 0 or more, or unset it");
  }

  private static long physicalMemory() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize()
        : 4L << 30;
  }
}
