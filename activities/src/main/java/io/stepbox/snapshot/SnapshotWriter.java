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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

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
  private final int parallelism;
  private final ExecutorService uploads;
  private final SnapshotMetrics metrics;

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
    this.parallelism = parallelism;
    this.uploads =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "stepbox-chunk-upload");
              t.setDaemon(true);
              return t;
            });
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
    /** The next piece, or null after the last. */
    Piece next() throws IOException;
  }

  /** New bytes ({@code data}) or a chunk already stored ({@code stored}). */
  record Piece(byte[] data, ChunkStore.Stored stored) {
    static Piece of(byte[] data) {
      return new Piece(data, null);
    }

    static Piece reuse(ChunkStore.Stored stored) {
      return new Piece(null, stored);
    }
  }

  /** A committed snapshot and its chunks as stored. */
  record Written(Manifest manifest, List<ChunkStore.Stored> chunks) {}

  /** The chunks of {@code tar}, cut by content. */
  static ChunkFeed chunks(InputStream tar) {
    Chunker chunker = new Chunker(tar);
    return () -> {
      byte[] chunk = chunker.next();
      return chunk == null ? null : Piece.of(chunk);
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
  public Manifest write(
      InputStream tar, Origin origin, java.util.function.Supplier<Contents> contents) {
    return write(chunks(tar), origin, contents).manifest();
  }

  /**
   * Stores the pieces {@code feed} gives as a new snapshot; {@code contents} is asked once the feed
   * has ended.
   */
  Written write(ChunkFeed feed, Origin origin, java.util.function.Supplier<Contents> contents) {
    String id = newId();
    Semaphore inFlight = new Semaphore(parallelism);
    List<Future<ChunkStore.Stored>> pending = new ArrayList<>();
    long tarBytes = 0;
    try {
      for (Piece piece = feed.next(); piece != null; piece = feed.next()) {
        ChunkStore.Stored known = piece.stored();
        if (known != null) {
          tarBytes += known.size();
          pending.add(
              java.util.concurrent.CompletableFuture.completedFuture(
                  new ChunkStore.Stored(known.hash(), known.size(), 0, known.modified())));
          continue;
        }
        tarBytes += piece.data().length;
        inFlight.acquire();
        byte[] data = piece.data();
        pending.add(
            uploads.submit(
                () -> {
                  try {
                    return chunks.put(data);
                  } finally {
                    inFlight.release();
                  }
                }));
      }
      Contents held = contents.get();
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
    } catch (IOException e) {
      abandon(pending);
      throw new SnapshotException("snapshot " + id + ": reading or encoding failed: " + e, e);
    } catch (ExecutionException e) {
      abandon(pending);
      throw new SnapshotException(
          "snapshot " + id + ": storing a chunk failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      abandon(pending);
      Thread.currentThread().interrupt();
      throw new SnapshotException("snapshot " + id + ": interrupted", e);
    } catch (RuntimeException e) {
      abandon(pending);
      throw e;
    }
  }

  /**
   * Cancels uploads not yet started and waits for running ones, so that nothing of this write
   * touches the store after it has failed.
   */
  private static void abandon(List<Future<ChunkStore.Stored>> pending) {
    pending.forEach(f -> f.cancel(false));
    for (Future<ChunkStore.Stored> f : pending) {
      try {
        if (!f.isCancelled()) {
          f.get();
        }
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
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

  @Override
  public void close() {
    uploads.shutdownNow();
    try {
      uploads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
