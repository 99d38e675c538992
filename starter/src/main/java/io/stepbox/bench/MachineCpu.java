package io.stepbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent, every process and the kernel together, from Linux's {@code
 * /proc/stat}: what a phase that runs tar, zstd, a JVM and dockerd at once costs, and how much the
 * hypervisor took away (steal). A benchmark whose ratio is bound by CPU shows it here.
 */
record MachineCpu(long busyMs, long stealMs) {
  private static final Path STAT = Path.of("/proc/stat");

  /** Clock ticks per second of {@code /proc/stat}: USER_HZ, 100 on x86 and arm Linux. */
  private static final long TICKS_PER_SECOND = 100;

  /** Now, or null where {@code /proc/stat} cannot be read (not Linux). */
  static MachineCpu now() {
    try (var lines = Files.lines(STAT)) {
      String total = lines.findFirst().orElse("");
      return total.startsWith("cpu ") ? parse(total) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The machine-wide line: {@code cpu user nice system idle iowait irq softirq steal ...}. */
  static MachineCpu parse(String line) {
    String[] f = line.trim().split("\\s+");
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7}) {
      busy += Long.parseLong(f[i]);
    }
    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
    return new MachineCpu(busy * 1000 / TICKS_PER_SECOND, steal * 1000 / TICKS_PER_SECOND);
  }

  /** What was spent from {@code before} to this reading. */
  MachineCpu since(MachineCpu before) {
    return new MachineCpu(busyMs - before.busyMs, stealMs - before.stealMs);
  }
}
