package io.stepbox.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads snapshots: their manifests, and the diff's tar stream rebuilt from verified chunks, fetched
 * one at a time as the stream is read (memory: one chunk).
 */
public final class SnapshotReader {
  private final BlobStore blobs;
  private final ChunkStore chunks;
  private final ObjectMapper json;

  public SnapshotReader(BlobStore blobs, ObjectMapper json) {
    this.blobs = blobs;
    this.chunks = new ChunkStore(blobs);
    this.json = json;
  }

  /**
   * The committed manifest of snapshot {@code id}.
   *
   * @throws SnapshotException when it does not exist (never committed) or cannot be read
   */
  public Manifest manifest(String id) {
    try (InputStream in =
        blobs
            .get(Manifest.key(id))
            .orElseThrow(
                () ->
                    new SnapshotException(
                        "snapshot "
                            + id
                            + " does not exist in "
                            + blobs.url()
                            + "; stepbox snapshot ls lists "
                            + "the snapshots there are"))) {
      Manifest m = json.readValue(in, Manifest.class);
      if (m.formatVersion() > Manifest.FORMAT_VERSION) {
        throw new SnapshotException(
            "snapshot "
                + id
                + " has format "
                + m.formatVersion()
                + ", newer than this stepbox reads ("
                + Manifest.FORMAT_VERSION
                + "); upgrade");
      }
      return m;
    } catch (IOException e) {
      throw new SnapshotException("snapshot " + id + ": its manifest cannot be read: " + e, e);
    }
  }

  /**
   * The diff's tar stream; a missing or corrupt chunk fails the read with its hash. Chunks are
   * fetched, decompressed and verified up to {@link #AHEAD} ahead of the reader, in parallel.
   */
  public InputStream open(Manifest manifest) {
    Iterator<Manifest.Chunk> it = manifest.chunks().iterator();
    Deque<Future<byte[]>> ahead = new ArrayDeque<>();
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          private void refill() {
            while (ahead.size() < AHEAD && it.hasNext()) {
              String hash = it.next().hash();
              ahead.add(FETCH.submit(() -> chunks.get(hash)));
            }
          }

          @Override
          public boolean hasMoreElements() {
            refill();
            return !ahead.isEmpty();
          }

          @Override
          public InputStream nextElement() {
            refill();
            try {
              return new ByteArrayInputStream(ahead.poll().get());
            } catch (ExecutionException e) {
              ahead.forEach(f -> f.cancel(true));
              throw e.getCause() instanceof RuntimeException r
                  ? r
                  : new SnapshotException("reading a chunk failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new SnapshotException("interrupted while reading a snapshot", e);
            }
          }
        });
  }

  private static final int AHEAD = 4;

  /** Shared daemon threads: reading holds no resource beyond the chunks in flight. */
  private static final ExecutorService FETCH =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "stepbox-chunk-fetch");
            t.setDaemon(true);
            return t;
          });
}
