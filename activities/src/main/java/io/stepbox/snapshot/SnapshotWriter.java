package io.stepbox.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.stepbox.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Stores a snapshot: cuts the diff's tar stream into content-defined chunks, uploads the chunks the
 * store lacks in parallel, then writes the manifest. Memory stays bounded: at most {@code
 * parallelism} chunks are in flight. If anything fails no manifest is written, so the snapshot does
 * not exist; chunks already uploaded are harmless and reused by the next attempt.
 */
public final class SnapshotWriter implements AutoCloseable {
  private final BlobStore blobs;
  private final ChunkStore chunks;
  private final ObjectMapper json;
  private final Clock clock;
  private final SnapshotMetrics metrics;
  private final ChunkPipeline pipeline;

  private static final ChunkPipeline SHARED = new ChunkPipeline(SnapshotEngine.UPLOADS);

  /** A writer whose meters go nowhere. */
  public SnapshotWriter(BlobStore blobs, ObjectMapper json, Clock clock, int parallelism) {
    this(blobs, json, clock, parallelism, new SnapshotMetrics(new CompositeMeterRegistry()));
  }

  SnapshotWriter(
      BlobStore blobs, ObjectMapper json, Clock clock, int parallelism, SnapshotMetrics metrics) {
    this.metrics = metrics;
    this.blobs = blobs;
    this.chunks = new ChunkStore(blobs);
    this.json = json;
    this.clock = clock;
    this.pipeline = parallelism == SnapshotEngine.UPLOADS ? SHARED : new ChunkPipeline(parallelism);
  }

  /** Where the snapshot came from; recorded in its manifest. */
  public record Origin(String image, String imageId, String taskId, String stepId) {}

  /** What the tar stream holds, known once it has been read. */
  public record Contents(List<String> deletions, List<Manifest.Fifo> fifos, long fileCount) {}

  /**
   * A snapshot's chunks in stream order: new bytes to store, or chunks the store holds (recently
   * enough that garbage collection leaves them, see {@link ChunkStore.Stored#fresh}).
   */
  interface ChunkFeed {
    /**
     * The next piece, or null after the last. New bytes go to the start of {@code into}, which
     * holds at least {@link Chunker#MAX} bytes.
     */
    Piece next(byte[] into) throws IOException;
  }

  /** New bytes (the first {@code length} of the buffer given) or a chunk already stored. */
  record Piece(int length, ChunkStore.Stored stored) {
    static Piece of(int length) {
      return new Piece(length, null);
    }

    static Piece reuse(ChunkStore.Stored stored) {
      return new Piece(stored.size(), stored);
    }
  }

  /** A committed snapshot and its chunks as stored. */
  record Written(Manifest manifest, List<ChunkStore.Stored> chunks) {}

  /** The chunks of {@code tar}, cut by content. */
  static ChunkFeed chunks(InputStream tar) {
    Chunker chunker = new Chunker(tar);
    return into -> {
      int n = chunker.next(into);
      return n < 0 ? null : Piece.of(n);
    };
  }

  /**
   * Stores {@code tar} (read to its end, not closed) as a new snapshot and returns its committed
   * manifest.
   *
   * @throws SnapshotException when reading or storing fails; nothing is committed then
   */
  public Manifest write(InputStream tar, Origin origin, List<String> deletions, long fileCount) {
    return write(tar, origin, () -> new Contents(deletions, List.of(), fileCount));
  }

  /**
   * Like {@link #write(InputStream, Origin, List, long)}, asking {@code contents} for the deletions
   * and file count once the stream has been read to its end.
   */
  public Manifest write(InputStream tar, Origin origin, Supplier<Contents> contents) {
    return write(chunks(tar), origin, contents).manifest();
  }

  /**
   * Stores the pieces {@code feed} gives as a new snapshot; {@code contents} is asked once the feed
   * has ended.
   */
  Written write(ChunkFeed feed, Origin origin, Supplier<Contents> contents) {
    String id = newId();
    List<Future<ChunkStore.Stored>> pending = new ArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    try {
      long tarBytes = storeAll(feed, pending, failed);
      return commit(id, origin, contents.get(), tarBytes, pending);
    } catch (IOException e) {
      abandon(pending, failed);
      throw SnapshotException.layer("snapshot " + id + ": reading or encoding failed: " + e, e);
    } catch (ExecutionException e) {
      abandon(pending, failed);
      throw SnapshotException.store(
          "snapshot " + id + ": storing a chunk failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      abandon(pending, failed);
      Thread.currentThread().interrupt();
      throw SnapshotException.interrupted("snapshot " + id + ": interrupted", e);
    } catch (RuntimeException e) {
      abandon(pending, failed);
      throw e;
    }
  }

  /**
   * Reads {@code feed} to its end, adding a future per piece to {@code pending}: new bytes go to
   * the upload threads, chunks already stored are done. Returns the bytes of the tar stream.
   */
  private long storeAll(
      ChunkFeed feed, List<Future<ChunkStore.Stored>> pending, AtomicBoolean failed)
      throws IOException, InterruptedException {
    long tarBytes = 0;
    while (true) {
      byte[] buffer = pipeline.buffers.take();
      Piece piece;
      try {
        piece = feed.next(buffer);
      } catch (IOException | RuntimeException e) {
        pipeline.buffers.give(buffer);
        throw e;
      }
      if (piece == null || piece.stored() != null) {
        pipeline.buffers.give(buffer);
      }
      if (piece == null) {
        return tarBytes;
      }
      tarBytes += piece.length();
      ChunkStore.Stored known = piece.stored();
      if (known != null) {
        pending.add(
            CompletableFuture.completedFuture(
                new ChunkStore.Stored(known.hash(), known.size(), 0, known.modified())));
        continue;
      }
      pending.add(store(buffer, piece.length(), failed));
    }
  }

  /** Waits for every chunk, then writes the manifest: the commit point. */
  private Written commit(
      String id,
      Origin origin,
      Contents held,
      long tarBytes,
      List<Future<ChunkStore.Stored>> pending)
      throws IOException, ExecutionException, InterruptedException {
    List<Manifest.Chunk> refs = new ArrayList<>();
    List<ChunkStore.Stored> stored = new ArrayList<>();
    long uploaded = 0;
    long reused = 0;
    for (Future<ChunkStore.Stored> f : pending) {
      ChunkStore.Stored s = f.get();
      stored.add(s);
      refs.add(new Manifest.Chunk(s.hash(), s.size()));
      uploaded += s.uploadedBytes();
      reused += s.uploadedBytes() == 0 ? s.size() : 0;
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            id,
            origin.image(),
            origin.imageId(),
            origin.taskId(),
            origin.stepId(),
            refs,
            held.deletions(),
            held.fifos(),
            held.fileCount(),
            tarBytes,
            uploaded,
            clock.instant().toString());
    blobs.put(Manifest.key(id), json.writeValueAsBytes(manifest)); // the commit point
    metrics.written(tarBytes - reused, reused, uploaded);
    return new Written(manifest, stored);
  }

  /**
   * Stores a chunk from {@code buffer} in the background: hashed, compressed and written by an
   * upload thread, which gives the buffer back as soon as the bytes are written (however that
   * ends); then synced and made visible by a sync thread, so that the disk's latency never holds a
   * buffer or an upload thread. Skipped, and a staged chunk dropped, once the write has {@code
   * failed}.
   */
  private Future<ChunkStore.Stored> store(byte[] buffer, int length, AtomicBoolean failed) {
    ChunkTask task = new ChunkTask(buffer, length, failed);
    try {
      pipeline.uploads.execute(task);
    } catch (RuntimeException e) {
      pipeline.buffers.give(buffer); // rejected: the writer is closed
      throw e;
    }
    return task.result;
  }

  /**
   * One chunk on its way into the store, run first by an upload thread (stage) and then by a sync
   * thread (commit). A task of its own rather than a CompletableFuture chain, for two reasons. A
   * chunk staged when the sync threads refuse it (the writer closed meanwhile) is dropped here,
   * giving its store's buffer back, where the chain left it held. And the JIT compiles this code as
   * its own, where the chain had it inlined into the JDK's {@code UniApply.tryFire} and {@code
   * AsyncSupply.run}, shared with every other CompletableFuture user in the process: a costly C2
   * compilation of tryFire was thrown away (class_check deoptimization) when another user came by.
   */
  private final class ChunkTask implements Runnable {
    final CompletableFuture<ChunkStore.Stored> result = new CompletableFuture<>();
    private final byte[] buffer;
    private final int length;
    private final AtomicBoolean failed;

    /** Set by the upload thread before it hands the task on (the executor orders the two). */
    private ChunkStore.Staging staging;

    ChunkTask(byte[] buffer, int length, AtomicBoolean failed) {
      this.buffer = buffer;
      this.length = length;
      this.failed = failed;
    }

    @Override
    public void run() {
      if (staging == null) {
        stage();
      } else {
        commit();
      }
    }

    private void stage() {
      try {
        try {
          if (failed.get()) {
            throw new CancellationException("the snapshot failed");
          }
          staging = chunks.stage(buffer, length, pipeline.compressor.get());
        } finally {
          pipeline.buffers.give(buffer);
        }
        pipeline.syncs.execute(this);
      } catch (Throwable e) {
        if (staging != null) {
          staging.abort(); // staged, but the sync threads refused it: the writer is closed
        }
        result.completeExceptionally(e);
      }
    }

    private void commit() {
      try {
        if (failed.get()) {
          staging.abort();
          throw new CancellationException("the snapshot failed");
        }
        staging.commit();
        result.complete(staging.stored());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }
  }

  /**
   * Marks the write {@code failed}, so that stores not yet started are skipped, and waits for all,
   * so that nothing of this write touches the store after it has failed.
   */
  private static void abandon(List<Future<ChunkStore.Stored>> pending, AtomicBoolean failed) {
    failed.set(true);
    for (Future<ChunkStore.Stored> f : pending) {
      try {
        f.get();
      } catch (ExecutionException | CancellationException e) {
        // Already failing: the first failure is the one reported.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Sortable by creation time, unique by its random tail. */
  private String newId() {
    String time = clock.instant().toString().replaceAll("[^0-9]", "").substring(0, 14);
    return "s" + time + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** Stops this writer's pipeline unless it is the shared one. */
  @Override
  public void close() {
    if (pipeline != SHARED) {
      pipeline.close();
    }
  }
}
