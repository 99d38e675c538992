package io.stepbox.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The runs of one side of a comparison: every time, and the best with its machine CPU. */
final class Timed {
  final List<Long> runs = new ArrayList<>();

  /** What the JIT compiled during each run (ms of compiler time): a run's share of warming up. */
  final List<Long> jitMs = new ArrayList<>();

  long bestMs = Long.MAX_VALUE;
  MachineCpu bestCpu;

  /** Whether the last run beat every earlier one by more than {@code fraction} of their best. */
  boolean lastCutBest(double fraction) {
    int last = runs.size() - 1;
    return last > 0
        && runs.get(last)
            < runs.subList(0, last).stream().mapToLong(Long::longValue).min().getAsLong()
                * (1 - fraction);
  }

  void run(Runnable work) {
    run(
        () -> {
          work.run();
          return null;
        });
  }

  <T> T run(Supplier<T> work) {
    var jit = ManagementFactory.getCompilationMXBean();
    long jit0 = jit.getTotalCompilationTime();
    MachineCpu cpu0 = MachineCpu.now();
    long t0 = System.nanoTime();
    T result = work.get();
    long took = BenchIo.ms(t0);
    MachineCpu cpu = spent(cpu0);
    jitMs.add(jit.getTotalCompilationTime() - jit0);
    runs.add(took);
    if (took < bestMs) {
      bestMs = took;
      bestCpu = cpu;
    }
    return result;
  }

  /** The machine's CPU time since {@code before}, or null where it cannot be read. */
  private static MachineCpu spent(MachineCpu before) {
    MachineCpu now = MachineCpu.now();
    return before == null || now == null ? null : now.since(before);
  }
}
