package io.stepbox.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.stepbox.sandbox.LayerPreparer;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxLayer;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.store.BlobInfo;
import io.stepbox.store.BlobStore;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Snapshots of sandboxes: capture what a sandbox changed relative to its image into the blob store,
 * and restore it into a fresh sandbox of the same image. A snapshot is self-contained (image + one
 * diff) while its storage dedupes by content across snapshots. Thread-safe.
 */
public final class SnapshotEngine implements AutoCloseable {
  private final SandboxRuntime runtime;
  private final BlobStore blobs;
  private final SnapshotWriter writer;
  private final SnapshotReader reader;
  private final Clock clock;
  private final Duration racy;

  /**
   * Chunks stored at once, and at most this many (4 MiB each at most) in memory: more uploads do
   * not store faster on a small worker, and each one raises the heap's peak by a chunk buffer and
   * its compressor (see the snapshot benchmark in docs/benchmarks.md).
   */
  static final int UPLOADS = 4;

  private final SnapshotMetrics metrics;

  /** Per sandbox captured: what the next capture of it can start from. */
  private final PreviousCapture.Memo memo = new PreviousCapture.Memo();

  private final java.util.concurrent.ExecutorService background =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "stepbox-snapshot");
            t.setDaemon(true);
            return t;
          });

  /** Per sandbox this engine restored: the directories holding the fifos it made there. */
  private final Map<String, Set<String>> restoredFifoDirs = new ConcurrentHashMap<>();

  /** An engine whose meters go nowhere (commands and tools). */
  public SnapshotEngine(SandboxRuntime runtime, BlobStore blobs, ObjectMapper json, Clock clock) {
    this(runtime, blobs, json, clock, new CompositeMeterRegistry());
  }

  /**
   * An engine that records capture and restore timers, bytes stored, reused and uploaded and the
   * dedup ratio in {@code registry} (names {@code stepbox.snapshot.*}).
   */
  public SnapshotEngine(
      SandboxRuntime runtime,
      BlobStore blobs,
      ObjectMapper json,
      Clock clock,
      MeterRegistry registry) {
    this(runtime, blobs, json, clock, registry, Listing.RACY);
  }

  /**
   * @param racy how long after a change a file is still suspected of changing unseen (tests that
   *     look at how much a capture reads set 0)
   */
  SnapshotEngine(
      SandboxRuntime runtime,
      BlobStore blobs,
      ObjectMapper json,
      Clock clock,
      MeterRegistry registry,
      Duration racy) {
    this.racy = racy;
    this.runtime = runtime;
    this.blobs = blobs;
    this.metrics = new SnapshotMetrics(registry);
    this.writer = new SnapshotWriter(blobs, json, clock, UPLOADS, metrics);
    this.reader = new SnapshotReader(blobs, json);
    this.clock = clock;
  }

  /**
   * Captures everything {@code sandbox} changed relative to its image (added, modified and deleted
   * paths, with owners, modes, mtimes, links and fifos) and commits it as a new snapshot. The
   * sandbox should be idle: a file changing while it is read fails the capture. Works on a stopped
   * sandbox too, minus what gVisor held only in memory. Capturing a sandbox this engine captured
   * before reads only around what changed since (see {@link LayerFeed}); the snapshot is the same.
   *
   * @throws SnapshotException when reading the layer or storing fails; nothing is committed then
   */
  public Manifest capture(Sandbox sandbox, String taskId, String stepId) {
    return capture(sandbox, taskId, stepId, true);
  }

  /**
   * Like {@link #capture(Sandbox, String, String)}; {@code again} false says the sandbox will not
   * be captured again (it is removed next), so nothing is kept for a next capture and the layer is
   * not listed after the commit for one (CPU the worker would spend while the sandbox is being
   * removed, for nothing).
   */
  public Manifest capture(Sandbox sandbox, String taskId, String stepId, boolean again) {
    return timed("capture", () -> captureUntimed(sandbox, taskId, stepId, again));
  }

  private Manifest captureUntimed(Sandbox sandbox, String taskId, String stepId, boolean again) {
    SandboxLayer layer = runtime.layer(sandbox);
    memo.awaitPending(sandbox.id());
    PreviousCapture previous = memo.get(sandbox.id(), layer);
    memo.forget(sandbox.id());
    // The listing is what the next capture compares with; anything changed after reading started
    // counts as changed next time (see Listing#of), so it never vouches for a change the read
    // missed, whenever it is taken. A read of what changed needs it first; a whole read does not,
    // and it is taken once the snapshot is committed, off the capture's path (in a step, while
    // Temporal records the result).
    Instant listedFrom = Instant.now();
    Supplier<Listing> list =
        () -> Listing.of(layer.upperDir(), layer.mountTargets(), racy, listedFrom);
    CompletableFuture<Listing> listing =
        previous == null ? null : CompletableFuture.supplyAsync(list, background);
    CompletableFuture<List<Manifest.Fifo>> fifos = scanFifos(sandbox, layer, listing);
    var origin = new SnapshotWriter.Origin(sandbox.image(), layer.imageId(), taskId, stepId);
    try (LayerFeed layerFeed = feed(previous, listing, layer)) {
      List<TarScanner.Entry> entries = new ArrayList<>();
      SnapshotWriter.Written written =
          writer.write(layerFeed, origin, () -> contents(layerFeed, fifos, entries));
      if (!again) {
        return written.manifest(); // forgotten above
      }
      long entriesEnd = layerFeed.entriesEnd();
      long cutBytes = layerFeed.cutBytes();
      Function<Listing, PreviousCapture> next =
          listed ->
              listed == null
                  ? null
                  : new PreviousCapture(
                      layer, listed, entries, entriesEnd, written.chunks(), cutBytes);
      remember(sandbox.id(), listing, list, next);
      return written.manifest();
    } finally {
      fifos.cancel(false);
    }
  }

  /** The sandbox's fifos, looked for once the listing (if any) says which directories changed. */
  private CompletableFuture<List<Manifest.Fifo>> scanFifos(
      Sandbox sandbox, SandboxLayer layer, CompletableFuture<Listing> listing) {
    Function<Listing, List<Manifest.Fifo>> scan =
        l -> SpecialFiles.scan(runtime, sandbox, layer, fifoDirs(sandbox, layer, l));
    return listing == null
        ? CompletableFuture.supplyAsync(() -> scan.apply(null), background)
        : listing.thenApplyAsync(scan, background);
  }

  /** What the stream held, asked once it was read: its deletions, fifos and count of files. */
  private static SnapshotWriter.Contents contents(
      LayerFeed feed, CompletableFuture<List<Manifest.Fifo>> fifos, List<TarScanner.Entry> entries) {
    entries.addAll(feed.finish());
    List<Manifest.Fifo> found = join(fifos);
    return new SnapshotWriter.Contents(
        entries.stream().map(TarScanner.Entry::deletion).filter(d -> d != null).toList(),
        found,
        entries.stream().filter(TarScanner.Entry::counted).count() + found.size());
  }

  /**
   * Keeps what the next capture of the sandbox compares with: now from the listing taken for this
   * capture, or listed in the background once this one is committed.
   */
  private void remember(
      String sandboxId,
      CompletableFuture<Listing> listing,
      Supplier<Listing> list,
      Function<Listing, PreviousCapture> next) {
    if (listing == null) {
      memo.putLater(sandboxId, () -> next.apply(list.get()), background);
      return;
    }
    PreviousCapture capture = next.apply(join(listing));
    if (capture != null) {
      memo.put(sandboxId, capture);
    }
  }

  /**
   * Where gVisor may hold fifos the host never sees: the directories changed since the sandbox
   * started, and those where this engine made fifos in a restore (the host saw no change there).
   */
  private List<String> fifoDirs(Sandbox sandbox, SandboxLayer layer, Listing listing) {
    List<String> dirs = new ArrayList<>();
    if (layer.running()) {
      Instant since = layer.startedAt().minusSeconds(2);
      dirs.addAll(listing != null ? listing.dirsChangedSince(since) : ChangedDirs.since(layer));
    }
    restoredFifoDirs.getOrDefault(sandbox.id(), Set.of()).stream()
        .filter(d -> !dirs.contains(d))
        .forEach(dirs::add);
    return dirs;
  }

  /**
   * Reads what changed since {@code previous} when it can (the listing needed first), the whole
   * layer otherwise (the listing goes on beside it).
   */
  private static LayerFeed feed(
      PreviousCapture previous, CompletableFuture<Listing> listing, SandboxLayer layer) {
    Listing now = previous == null ? null : join(listing);
    LayerFeed since = now == null ? null : LayerFeed.since(previous, now, layer);
    return since != null ? since : LayerFeed.whole(layer);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * What the last capture of {@code sandbox} left for the next, if this engine remembers it (once
   * the listing taken after the capture is done).
   */
  PreviousCapture previous(Sandbox sandbox) {
    settle(sandbox);
    return memo.peek(sandbox.id());
  }

  /**
   * Waits for what this engine still does in the background for {@code sandbox} after a capture
   * (the listing the next capture starts from). Captures wait for it themselves; this is for
   * callers that must not have it overlap what they do next, such as a benchmark.
   */
  public void settle(Sandbox sandbox) {
    memo.awaitPending(sandbox.id());
  }

  /** Forgets what capturing {@code sandbox} left for its next capture (say, once it is removed). */
  public void forget(Sandbox sandbox) {
    memo.forget(sandbox.id());
    restoredFifoDirs.remove(sandbox.id());
  }

  /**
   * Creates a sandbox from {@code spec} holding snapshot {@code id}'s files. Every chunk is checked
   * against its hash while it is read; a corrupt or missing one fails the restore, naming it, and
   * the half-made sandbox is removed.
   *
   * @throws SnapshotException when the snapshot is missing, damaged or of another image
   */
  public Sandbox restore(String id, SandboxSpec spec) {
    return timed("restore", () -> restoreUntimed(id, spec));
  }

  private Sandbox restoreUntimed(String id, SandboxSpec spec) {
    Manifest manifest = reader.manifest(id);
    String imageId = runtime.imageId(spec.image());
    if (manifest.imageId() != null && !manifest.imageId().equals(imageId)) {
      throw SnapshotException.wrongImage(
          "snapshot "
              + id
              + " was taken from image "
              + manifest.image()
              + " ("
              + manifest.imageId()
              + "), but "
              + spec.image()
              + " is "
              + imageId
              + "; restore it into the same image");
    }
    LayerPreparer fill = layer -> LayerTar.extract(reader.open(manifest), layer.upperDir());
    Sandbox sandbox = runtime.create(spec, fill);
    try {
      SpecialFiles.make(runtime, sandbox, manifest.fifos());
      if (!manifest.fifos().isEmpty()) {
        restoredFifoDirs.put(
            sandbox.id(),
            manifest.fifos().stream()
                .map(f -> f.path().substring(0, Math.max(1, f.path().lastIndexOf('/'))))
                .collect(java.util.stream.Collectors.toSet()));
      }
      return sandbox;
    } catch (RuntimeException e) {
      runtime.destroy(sandbox);
      throw e;
    }
  }

  private <T> T timed(String action, Supplier<T> work) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      metrics.timer(action, ok).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The committed manifest of snapshot {@code id}. */
  public Manifest manifest(String id) {
    return reader.manifest(id);
  }

  /** Every committed snapshot, oldest first. */
  public List<Manifest> list() {
    List<Manifest> out = new ArrayList<>();
    for (BlobInfo b : blobs.list("manifests/")) {
      String name = b.key().substring("manifests/".length());
      if (name.endsWith(".json")) {
        out.add(reader.manifest(name.substring(0, name.length() - 5)));
      }
    }
    out.sort(Comparator.comparing(Manifest::createdAt).thenComparing(Manifest::id));
    return out;
  }

  /** Reads every chunk of a snapshot and checks it; returns the problems found (none: intact). */
  public List<String> verify(String id) {
    Manifest m = reader.manifest(id);
    ChunkStore chunks = new ChunkStore(blobs);
    List<String> problems = new ArrayList<>();
    for (Manifest.Chunk c : m.chunks()) {
      try {
        byte[] raw = chunks.get(c.hash());
        if (raw.length != c.size()) {
          problems.add(
              "chunk " + c.hash() + " is " + raw.length + " bytes, manifest says " + c.size());
        }
      } catch (SnapshotException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /** The snapshot's tar stream, as stored (whiteouts are overlay char devices 0:0). */
  public InputStream open(String id) {
    return reader.open(reader.manifest(id));
  }

  /** Removes a snapshot's manifest; its chunks go at the next {@link #gc}. */
  public void delete(String id) {
    reader.manifest(id);
    blobs.delete(Manifest.key(id));
  }

  /** Collects chunks no snapshot references; see {@link GarbageCollector}. */
  public GarbageCollector.Report gc(
      Duration grace, java.util.Collection<String> roots, boolean dryRun) {
    return new GarbageCollector(blobs, reader, clock).collect(grace, roots, dryRun);
  }

  @Override
  public void close() {
    writer.close();
    background.shutdownNow();
  }
}
