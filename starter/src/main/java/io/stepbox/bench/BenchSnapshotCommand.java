package io.stepbox.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.stepbox.cli.Cli;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.snapshot.Manifest;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.Units;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code stepbox bench snapshot [--json]}: full snapshot, incremental snapshot after a 4 KiB change
 * and restore of a generated 300 MiB / 20,000-file tree through the local store, each against GNU
 * tar and zstd doing the same work on the same tree in the same run.
 */
@Command(name = "snapshot", description = "snapshot and restore of a 300 MiB tree vs tar and zstd")
final class BenchSnapshotCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the results as JSON")
  boolean json;
  private static final String IMAGE = Images.DEFAULT;

  /**
   * Whole captures, each into a store of its own, before anything is timed, until {@link
   * #SETTLED_RUNS} in a row each compiled (JIT) for less than {@link #SETTLED_MS}. A worker that
   * runs for days has its code compiled; a capture here that still compiles pays for it: a tenth of
   * its CPU after a single warm-up (measured with perf), and single compilations of 100 to 600 ms
   * as late as the tenth capture (the per-chunk code reaches C2's thresholds only then), so one
   * quiet capture was not enough to call the JIT settled.
   */
  private static final int MIN_WARM_UP = 2;

  private static final int MAX_WARM_UP = 16;
  private static final long SETTLED_MS = 50;
  private static final int SETTLED_RUNS = 3;

  /** Rounds of each timed comparison; each side goes first in half of them (ABBA). */
  private static final int ROUNDS = 4;

  /**
   * Restore rounds go on past {@link #ROUNDS}, up to this many, while the last round cut either
   * side's best by more than {@link #SETTLED_CUT}: extractions soon after many files were deleted
   * run several times slower (ext4 without a journal, see the README's Limits) for a while, on both
   * sides, and a run that begins in that state had its first restore rounds at 6 to 7 s and a
   * single fast one of each side to compare.
   */
  private static final int MAX_RESTORE_ROUNDS = 8;

  private static final double SETTLED_CUT = 0.1;

  private final Cli cli;

  BenchSnapshotCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    SandboxRuntime rt = cli.runtime();
    Path work = tempDir();
    Map<String, Object> r = new LinkedHashMap<>();
    Sandbox source = null;
    List<Sandbox> restored = new ArrayList<>();
    // One mapper for every engine, as in a worker: a new one spends milliseconds of each capture
    // looking at the manifest's classes.
    ObjectMapper mapper = new ObjectMapper();
    try (LiveHeap liveHeap = new LiveHeap();
        LocalBlobStore store = new LocalBlobStore(work.resolve("blobs"));
        SnapshotEngine engine = new SnapshotEngine(rt, store, mapper, Clock.systemUTC())) {
      BenchTree tree = new BenchTree();
      progress("generating the tree");
      source =
          rt.create(SandboxSpec.newBuilder(IMAGE).build(), layer -> tree.write(layer.upperDir()));
      Path upper = rt.layer(source).upperDir();
      r.put("tree_bytes", tree.bytes);
      r.put("tree_files", tree.files);
      resetPeaks();

      Path warmArchive = work.resolve("warm-up.tar.zst");
      progress("warm-up (a worker runs long: JIT and page cache warm for both sides)");
      var jit = ManagementFactory.getCompilationMXBean();
      int warmUps = 0;
      List<Long> warmUpJit = new ArrayList<>(); // what the JIT compiled during each warm-up capture
      for (int quiet = 0;
          warmUps < MIN_WARM_UP || warmUps < MAX_WARM_UP && quiet < SETTLED_RUNS;
          warmUps++) {
        long before = jit.getTotalCompilationTime();
        Path scratchDir = warmUpDir(work);
        try (LocalBlobStore scratch = new LocalBlobStore(scratchDir);
            SnapshotEngine warm = new SnapshotEngine(rt, scratch, mapper, Clock.systemUTC())) {
          warm.capture(source, null, "warm-up");
          warm.settle(source);
        } finally {
          shell("rm -rf '" + scratchDir + "'");
        }
        long compiled = jit.getTotalCompilationTime() - before;
        warmUpJit.add(compiled);
        quiet = compiled < SETTLED_MS ? quiet + 1 : 0;
      }
      r.put("warm_up_captures", warmUps);
      r.put("warm_up_jit_ms", warmUpJit);
      shell(
          "tar -c -C '"
              + upper
              + "' . | zstd -q -1 -o '"
              + warmArchive
              + "' && rm '"
              + warmArchive
              + "'");
      resetPeaks();
      liveHeap.reset();

      // Rounds as for restores below (ABBA, each side's best kept): a single pair on this machine
      // came out anywhere from 1.07 to 1.50 for the same code. Every timed phase starts with the
      // host's dirty pages flushed (sync), so that neither side pays for the other's writes. Each
      // full capture has a store and an engine of its own, so none finds another's chunks or reads
      // only what changed since another; the last one's (the main store's) is the snapshot the
      // incremental capture and the restores start from. Nothing is removed before the end (see
      // below).
      Timed baseFull = new Timed();
      Timed fullTimed = new Timed();
      Path archive = work.resolve("baseline.tar.zst"); // the last round's, restored below
      Manifest full = null;
      Sandbox captured = source;
      for (int round = 0; round < ROUNDS; round++) {
        boolean last = round == ROUNDS - 1;
        for (boolean baselineSide : abba(round)) {
          shell("sync");
          if (baselineSide) {
            progress("baseline: tar -c | zstd -1");
            Path out = last ? archive : work.resolve("baseline-" + round + ".tar.zst");
            baseFull.run(() -> shell("tar -c -C '" + upper + "' . | zstd -q -1 -o '" + out + "'"));
          } else {
            progress("full snapshot");
            if (last) {
              full = fullTimed.run(() -> engine.capture(captured, null, "full"));
              engine.settle(captured); // the listing for the next capture, taken after the commit
            } else {
              try (LocalBlobStore own = new LocalBlobStore(work.resolve("full-" + round));
                  SnapshotEngine fresh = new SnapshotEngine(rt, own, mapper, Clock.systemUTC())) {
                fullTimed.run(() -> fresh.capture(captured, null, "full"));
                fresh.settle(captured);
              }
            }
          }
        }
      }

      progress("incremental snapshot after a 4 KiB change");
      Path changed = tree.smallFiles.get(tree.smallFiles.size() / 2);
      String inside = "/" + upper.relativize(changed);
      rt.exec(source, ExecRequest.shell("head -c 4096 /dev/urandom > '" + inside + "'"));
      shell("sync");
      long t0 = System.nanoTime();
      Manifest incremental = engine.capture(source, null, "incremental");
      long incMs = ms(t0);

      // The restored sandboxes are removed only after the last round: on ext4 without a journal
      // (these machines), files created within minutes after many were deleted are slow to create
      // (the kernel avoids reusing recently freed inodes and checks each one it passes), which
      // would slow whichever extraction came next. For the same reason there may be more than
      // ROUNDS rounds (see MAX_RESTORE_ROUNDS).
      Timed baseRestore = new Timed();
      Timed restoreTimed = new Timed();
      String fullId = full.id();
      int restoreRounds = 0;
      while (restoreRounds < ROUNDS
          || restoreRounds < MAX_RESTORE_ROUNDS
              && (restoreTimed.lastCutBest(SETTLED_CUT) || baseRestore.lastCutBest(SETTLED_CUT))) {
        for (boolean baselineSide : abba(restoreRounds++)) {
          shell("sync");
          if (baselineSide) {
            progress("baseline: zstd -d | tar -x into a fresh sandbox");
            restored.add(
                baseRestore.run(
                    () ->
                        rt.create(
                            SandboxSpec.newBuilder(IMAGE).build(),
                            layer ->
                                shell(
                                    "zstd -q -d -c '"
                                        + archive
                                        + "' | tar -x -C '"
                                        + layer.upperDir()
                                        + "'"))));
          } else {
            progress("restore into a fresh sandbox");
            restored.add(
                restoreTimed.run(
                    () -> engine.restore(fullId, SandboxSpec.newBuilder(IMAGE).build())));
          }
        }
      }

      r.put("full_ms", fullTimed.bestMs);
      r.put("baseline_full_ms", baseFull.bestMs);
      r.put("full_ratio", ratio(fullTimed.bestMs, baseFull.bestMs));
      r.put("full_runs_ms", fullTimed.runs);
      r.put("baseline_full_runs_ms", baseFull.runs);
      r.put("full_runs_jit_ms", fullTimed.jitMs);
      if (baseFull.bestCpu != null && fullTimed.bestCpu != null) {
        int cpus = Runtime.getRuntime().availableProcessors();
        r.put("cpus", cpus);
        r.put("full_cpu_ms", fullTimed.bestCpu.busyMs());
        r.put("baseline_full_cpu_ms", baseFull.bestCpu.busyMs());
        r.put("full_steal_ms", fullTimed.bestCpu.stealMs());
        r.put("baseline_full_steal_ms", baseFull.bestCpu.stealMs());
        // The ratio the full snapshot would reach with its CPU time spread over every core.
        r.put("full_cpu_floor_ratio", ratio(fullTimed.bestCpu.busyMs() / cpus, baseFull.bestMs));
      }
      r.put("full_uploaded_bytes", full.uploadedBytes());
      r.put("snapshot_tar_bytes", full.tarBytes());
      r.put("stored_bytes", store.list("chunks/").stream().mapToLong(b -> b.size()).sum());
      r.put("baseline_archive_bytes", Files.size(archive));
      r.put("incremental_ms", incMs);
      r.put("incremental_uploaded_bytes", incremental.uploadedBytes());
      r.put("restore_ms", restoreTimed.bestMs);
      r.put("baseline_restore_ms", baseRestore.bestMs);
      r.put("restore_ratio", ratio(restoreTimed.bestMs, baseRestore.bestMs));
      r.put("restore_rounds", restoreRounds);
      r.put("restore_runs_ms", restoreTimed.runs);
      r.put("baseline_restore_runs_ms", baseRestore.runs);
      r.put("peak_heap_mb", liveHeap.peakMb());
      r.put("peak_heap_allocated_mb", peakHeapAllocatedMb());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      restored.forEach(rt::destroy);
      if (source != null) {
        rt.destroy(source);
      }
      shell("rm -rf '" + work + "'");
    }
    print(json, r);
    return 0;
  }

  private void print(boolean json, Map<String, Object> r) {
    if (json) {
      cli.printJson(r);
      return;
    }
    cli.out().printf(
        Locale.ROOT,
        "tree: %d files, %s%n"
            + "full snapshot     %6d ms   baseline tar|zstd -1 %6d ms   ratio %.2f   uploaded %s%n"
            + "incremental       %6d ms   uploaded %s after changing one 4 KiB file%n"
            + "restore           %6d ms   baseline zstd -d|tar -x %6d ms   ratio %.2f%n"
            + "peak heap         %6d MiB live after collections (%d MiB with garbage not yet"
            + " collected)%n"
            + "each round (ms)   full snapshot %s, baseline %s; restore %s, baseline %s (ABBA,"
            + " best kept)%n"
            + "warm-up           %d captures; JIT compiling during each timed full snapshot %s ms%n",
        r.get("tree_files"),
        Units.formatBytes((Long) r.get("tree_bytes")),
        r.get("full_ms"),
        r.get("baseline_full_ms"),
        r.get("full_ratio"),
        Units.formatBytes((Long) r.get("full_uploaded_bytes")),
        r.get("incremental_ms"),
        Units.formatBytes((Long) r.get("incremental_uploaded_bytes")),
        r.get("restore_ms"),
        r.get("baseline_restore_ms"),
        r.get("restore_ratio"),
        r.get("peak_heap_mb"),
        r.get("peak_heap_allocated_mb"),
        r.get("full_runs_ms"),
        r.get("baseline_full_runs_ms"),
        r.get("restore_runs_ms"),
        r.get("baseline_restore_runs_ms"),
        r.get("warm_up_captures"),
        r.get("full_runs_jit_ms"));
    if (r.containsKey("full_cpu_ms")) {
      cli.out().printf(
          Locale.ROOT,
          "machine CPU       full snapshot %d ms, baseline %d ms (steal %d / %d ms): on %d cores"
              + " the full snapshot cannot go under ratio %.2f%n",
          r.get("full_cpu_ms"),
          r.get("baseline_full_cpu_ms"),
          r.get("full_steal_ms"),
          r.get("baseline_full_steal_ms"),
          r.get("cpus"),
          r.get("full_cpu_floor_ratio"));
    }
  }

  private void progress(String what) {
    if (!json) {
      cli.err().println("... " + what);
    }
  }

  /**
   * Where a warm-up capture stores its chunks: in memory (/dev/shm) when there is one. The warm-up
   * is for the JIT; removing their chunks from this disk would slow the files created next (see the
   * restores below).
   */
  private static Path warmUpDir(Path work) {
    Path shm = Path.of("/dev/shm");
    try {
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "stepbox-bench-warm-up-")
          : Files.createTempDirectory(work, "warm-up-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Which side runs first in {@code round}, baseline (true) or stepbox: ABBA, then again. */
  private static boolean[] abba(int round) {
    boolean baselineFirst = round % 4 == 0 || round % 4 == 3;
    return new boolean[] {baselineFirst, !baselineFirst};
  }

  /** The runs of one side of a comparison: every time, and the best with its machine CPU. */
  private static final class Timed {
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

    <T> T run(java.util.function.Supplier<T> work) {
      var jit = ManagementFactory.getCompilationMXBean();
      long jit0 = jit.getTotalCompilationTime();
      MachineCpu cpu0 = MachineCpu.now();
      long t0 = System.nanoTime();
      T result = work.get();
      long took = ms(t0);
      MachineCpu cpu = spent(cpu0);
      jitMs.add(jit.getTotalCompilationTime() - jit0);
      runs.add(took);
      if (took < bestMs) {
        bestMs = took;
        bestCpu = cpu;
      }
      return result;
    }
  }

  /** The machine's CPU time since {@code before}, or null where it cannot be read. */
  private static MachineCpu spent(MachineCpu before) {
    MachineCpu now = MachineCpu.now();
    return before == null || now == null ? null : now.since(before);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("stepbox-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static double ratio(long a, long b) {
    return Math.round(100.0 * a / Math.max(1, b)) / 100.0;
  }

  private static void shell(String line) {
    try {
      Process p = new ProcessBuilder("sh", "-c", line).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("benchmark command failed: " + line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of the heap pools' peaks: what was in use, garbage not yet collected included. */
  private static long peakHeapAllocatedMb() {
    return heapPools().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }

  private static Stream<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP);
  }

  /**
   * The most heap still in use right after a garbage collection (what the work kept live), over the
   * collections from {@link #reset()} on. How much garbage piles up before a collection is the
   * collector's choice, sized by the heap it may use (a quarter of the machine's memory by
   * default), not a need of the work: that is {@link #peakHeapAllocatedMb()}.
   */
  static final class LiveHeap implements NotificationListener, AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Set<String> heapPools =
        heapPools().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    LiveHeap() {
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(this, null, null);
          emitters.add(e);
        }
      }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used =
          info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey()))
              .mapToLong(e -> e.getValue().getUsed())
              .sum();
      peak.accumulateAndGet(used, Math::max);
    }

    void reset() {
      peak.set(0);
    }

    /** The peak, counting a last collection now: what is still held counts too. */
    long peakMb() {
      System.gc();
      long now = heapPools().mapToLong(p -> p.getUsage().getUsed()).sum();
      return Math.max(peak.get(), now) >> 20;
    }

    @Override
    public void close() {
      for (var e : emitters) {
        try {
          e.removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
          // not registered: nothing to remove
        }
      }
    }
  }
}
