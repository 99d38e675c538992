package io.stepbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.snapshot.Manifest;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.workflows.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of {@code stepbox bench snapshot}: the tree, the warm-up, then full captures, an
 * incremental capture and restores, each timed against tar and zstd. Closing it removes every
 * sandbox and file it made.
 */
final class SnapshotBench implements AutoCloseable {
  private static final String IMAGE = Images.DEFAULT;

  /**
   * Whole captures, each into a store of its own, before anything is timed, until {@link
   * #SETTLED_RUNS} in a row each compiled (JIT) for less than {@link #SETTLED_MS}. A worker that
   * runs for days has its code compiled; a capture here that still compiles pays for compilation
   * that a worker no longer does. The per-chunk code reaches C2's thresholds only after several
   * captures, so a single quiet capture does not show that the JIT has settled: several in a row
   * do.
   */
  private static final int MIN_WARM_UP = 2;

  private static final int MAX_WARM_UP = 16;
  private static final long SETTLED_MS = 50;
  private static final int SETTLED_RUNS = 3;

  /** Rounds of each timed comparison; each side goes first in half of them (ABBA). */
  private static final int ROUNDS = 4;

  /**
   * Restore rounds go on past {@link #ROUNDS}, up to this many, while the last round cut either
   * side's best by more than {@link #SETTLED_CUT}: for a while after many files were deleted,
   * extractions on ext4 without a journal are slow on both sides (docs/operations.md, Machine
   * quirks), and a run that starts in that state would otherwise compare slow rounds with at most
   * one fast round of each side.
   */
  private static final int MAX_RESTORE_ROUNDS = 8;

  private static final double SETTLED_CUT = 0.1;

  private final SandboxRuntime rt;
  private final Consumer<String> progress;
  private final Path work;
  // One mapper for every engine, as in a worker: a new one inspects the manifest's classes again
  // in each capture, a cost a worker does not pay.
  private final ObjectMapper mapper = new ObjectMapper();
  private final LiveHeap liveHeap;
  private final LocalBlobStore store;
  private final SnapshotEngine engine;
  private final BenchTree tree = new BenchTree();
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<Sandbox> restored = new ArrayList<>();
  private final Timed baseFull = new Timed();
  private final Timed fullTimed = new Timed();
  private final Timed baseRestore = new Timed();
  private final Timed restoreTimed = new Timed();
  private Sandbox source;
  private Path upper;

  /** A run on {@code rt} in a new temporary directory; {@code progress} hears each phase. */
  SnapshotBench(SandboxRuntime rt, Consumer<String> progress) {
    this.rt = rt;
    this.progress = progress;
    this.work = BenchIo.tempDir("stepbox-bench-");
    try {
      this.liveHeap = new LiveHeap();
      this.store = new LocalBlobStore(work.resolve("blobs"));
      this.engine = new SnapshotEngine(rt, store, mapper, Clock.systemUTC());
    } catch (RuntimeException e) {
      BenchIo.shell("rm -rf '" + work + "'");
      throw e;
    }
  }

  /** Every phase in order; the results keyed as {@code bench snapshot --json} prints them. */
  Map<String, Object> run() {
    createSource();
    warmUp();
    Manifest full = timeFullCaptures();
    Incremental incremental = captureAfterASmallChange();
    int restoreRounds = timeRestores(full.id());
    putFullResults(full);
    results.put("incremental_ms", incremental.ms());
    results.put("incremental_uploaded_bytes", incremental.manifest().uploadedBytes());
    putRestoreResults(restoreRounds);
    results.put("peak_heap_mb", liveHeap.peakMb());
    results.put("peak_heap_allocated_mb", LiveHeap.peakAllocatedMb());
    return results;
  }

  private void createSource() {
    progress.accept("generating the tree");
    source =
        rt.create(SandboxSpec.newBuilder(IMAGE).build(), layer -> tree.write(layer.upperDir()));
    upper = rt.layer(source).upperDir();
    results.put("tree_bytes", tree.bytes);
    results.put("tree_files", tree.files);
    LiveHeap.resetPeaks();
  }

  private void warmUp() {
    progress.accept("warm-up (a worker runs long: JIT and page cache warm for both sides)");
    var jit = ManagementFactory.getCompilationMXBean();
    int warmUps = 0;
    List<Long> warmUpJit = new ArrayList<>(); // what the JIT compiled during each warm-up capture
    for (int quiet = 0;
        warmUps < MIN_WARM_UP || warmUps < MAX_WARM_UP && quiet < SETTLED_RUNS;
        warmUps++) {
      long before = jit.getTotalCompilationTime();
      captureIntoScratch();
      long compiled = jit.getTotalCompilationTime() - before;
      warmUpJit.add(compiled);
      quiet = compiled < SETTLED_MS ? quiet + 1 : 0;
    }
    results.put("warm_up_captures", warmUps);
    results.put("warm_up_jit_ms", warmUpJit);
    Path warmArchive = work.resolve("warm-up.tar.zst");
    BenchIo.shell(
        "tar -c -C '" + upper + "' . | zstd -q -1 -o '" + warmArchive + "'"
            + " && rm '" + warmArchive + "'");
    LiveHeap.resetPeaks();
    liveHeap.reset();
  }

  /** One whole warm-up capture into a store that is removed right after. */
  private void captureIntoScratch() {
    Path scratchDir = warmUpDir();
    try (LocalBlobStore scratch = new LocalBlobStore(scratchDir);
        SnapshotEngine warm = new SnapshotEngine(rt, scratch, mapper, Clock.systemUTC())) {
      warm.capture(source, null, "warm-up");
      warm.settle(source);
    } finally {
      BenchIo.shell("rm -rf '" + scratchDir + "'");
    }
  }

  /**
   * Full captures against {@code tar -c | zstd -1}, returning the last round's, taken by the main
   * engine. Rounds as for restores below (ABBA, each side's best kept): a single pair is at the
   * mercy of the machine's drift and gives a different ratio each run for the same code. Every
   * timed phase starts with the host's dirty pages flushed (sync), so that neither side pays for
   * the other's writes. Each full capture has a store and an engine of its own, so none finds
   * another's chunks or reads only what changed since another; the last one's (the main store's) is
   * the snapshot the incremental capture and the restores start from. Nothing is removed before the
   * end (see {@link #timeRestores}).
   */
  private Manifest timeFullCaptures() {
    Manifest full = null;
    for (int round = 0; round < ROUNDS; round++) {
      boolean last = round == ROUNDS - 1;
      for (boolean baselineSide : abba(round)) {
        BenchIo.shell("sync");
        if (baselineSide) {
          progress.accept("baseline: tar -c | zstd -1");
          Path out = last ? archive() : work.resolve("baseline-" + round + ".tar.zst");
          baseFull.run(
              () -> BenchIo.shell("tar -c -C '" + upper + "' . | zstd -q -1 -o '" + out + "'"));
        } else if (last) {
          progress.accept("full snapshot");
          full = fullTimed.run(() -> engine.capture(source, null, "full"));
          engine.settle(source); // the listing for the next capture, taken after the commit
        } else {
          progress.accept("full snapshot");
          captureFresh(round);
        }
      }
    }
    return full;
  }

  /** A timed full capture into a store and an engine of its own. */
  private void captureFresh(int round) {
    try (LocalBlobStore own = new LocalBlobStore(work.resolve("full-" + round));
        SnapshotEngine fresh = new SnapshotEngine(rt, own, mapper, Clock.systemUTC())) {
      fullTimed.run(() -> fresh.capture(source, null, "full"));
      fresh.settle(source);
    }
  }

  private record Incremental(Manifest manifest, long ms) {}

  /** Rewrites 4 KiB of one small file and captures what changed, timed. */
  private Incremental captureAfterASmallChange() {
    progress.accept("incremental snapshot after a 4 KiB change");
    Path changed = tree.smallFiles.get(tree.smallFiles.size() / 2);
    String inside = "/" + upper.relativize(changed);
    rt.exec(source, ExecRequest.shell("head -c 4096 /dev/urandom > '" + inside + "'"));
    BenchIo.shell("sync");
    long t0 = System.nanoTime();
    Manifest incremental = engine.capture(source, null, "incremental");
    return new Incremental(incremental, BenchIo.ms(t0));
  }

  /**
   * Restores of {@code fullId} against {@code zstd -d | tar -x}, each into a fresh sandbox; returns
   * the rounds run. The restored sandboxes are removed only after the last round: on ext4 without a
   * journal, files created within minutes after many were deleted are slow to create (the kernel
   * avoids reusing recently freed inodes and checks each one it passes; docs/operations.md, Machine
   * quirks), which would slow whichever extraction came next. For the same reason there may be
   * more than ROUNDS rounds (see MAX_RESTORE_ROUNDS).
   */
  private int timeRestores(String fullId) {
    int rounds = 0;
    while (rounds < ROUNDS
        || rounds < MAX_RESTORE_ROUNDS
            && (restoreTimed.lastCutBest(SETTLED_CUT) || baseRestore.lastCutBest(SETTLED_CUT))) {
      for (boolean baselineSide : abba(rounds++)) {
        BenchIo.shell("sync");
        if (baselineSide) {
          progress.accept("baseline: zstd -d | tar -x into a fresh sandbox");
          restored.add(baseRestore.run(this::extractIntoFreshSandbox));
        } else {
          progress.accept("restore into a fresh sandbox");
          restored.add(
              restoreTimed.run(
                  () -> engine.restore(fullId, SandboxSpec.newBuilder(IMAGE).build())));
        }
      }
    }
    return rounds;
  }

  private Sandbox extractIntoFreshSandbox() {
    return rt.create(
        SandboxSpec.newBuilder(IMAGE).build(),
        layer ->
            BenchIo.shell(
                "zstd -q -d -c '" + archive() + "' | tar -x -C '" + layer.upperDir() + "'"));
  }

  private void putFullResults(Manifest full) {
    results.put("full_ms", fullTimed.bestMs);
    results.put("baseline_full_ms", baseFull.bestMs);
    results.put("full_ratio", Percentiles.ratio(fullTimed.bestMs, baseFull.bestMs));
    results.put("full_runs_ms", fullTimed.runs);
    results.put("baseline_full_runs_ms", baseFull.runs);
    results.put("full_runs_jit_ms", fullTimed.jitMs);
    if (baseFull.bestCpu != null && fullTimed.bestCpu != null) {
      int cpus = Runtime.getRuntime().availableProcessors();
      results.put("cpus", cpus);
      results.put("full_cpu_ms", fullTimed.bestCpu.busyMs());
      results.put("baseline_full_cpu_ms", baseFull.bestCpu.busyMs());
      results.put("full_steal_ms", fullTimed.bestCpu.stealMs());
      results.put("baseline_full_steal_ms", baseFull.bestCpu.stealMs());
      // The ratio the full snapshot would reach with its CPU time spread over every core.
      results.put(
          "full_cpu_floor_ratio",
          Percentiles.ratio(fullTimed.bestCpu.busyMs() / cpus, baseFull.bestMs));
    }
    results.put("full_uploaded_bytes", full.uploadedBytes());
    results.put("snapshot_tar_bytes", full.tarBytes());
    results.put("stored_bytes", store.list("chunks/").stream().mapToLong(b -> b.size()).sum());
    results.put("baseline_archive_bytes", size(archive()));
  }

  private void putRestoreResults(int rounds) {
    results.put("restore_ms", restoreTimed.bestMs);
    results.put("baseline_restore_ms", baseRestore.bestMs);
    results.put("restore_ratio", Percentiles.ratio(restoreTimed.bestMs, baseRestore.bestMs));
    results.put("restore_rounds", rounds);
    results.put("restore_runs_ms", restoreTimed.runs);
    results.put("baseline_restore_runs_ms", baseRestore.runs);
  }

  /** The last full round's baseline archive, which the baseline restores extract. */
  private Path archive() {
    return work.resolve("baseline.tar.zst");
  }

  /**
   * Where a warm-up capture stores its chunks: in memory (/dev/shm) when there is one. The warm-up
   * is for the JIT; removing their chunks from this disk would slow the files created next (see the
   * restores).
   */
  private Path warmUpDir() {
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

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the engines, then removes the sandboxes and the temporary directory. */
  @Override
  public void close() {
    try (LiveHeap heap = liveHeap;
        LocalBlobStore blobs = store;
        SnapshotEngine snapshots = engine) {
      // closed in the reverse order, engine first
    } finally {
      restored.forEach(rt::destroy);
      if (source != null) {
        rt.destroy(source);
      }
      BenchIo.shell("rm -rf '" + work + "'");
    }
  }
}
