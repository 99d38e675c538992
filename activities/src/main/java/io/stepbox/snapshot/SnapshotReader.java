package io.stepbox.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads snapshots: their manifests, and the diff's tar stream rebuilt from verified chunks, fetched
 * a few ahead as the stream is read.
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
                    SnapshotException.notFound(
                        "snapshot "
                            + id
                            + " does not exist in "
                            + blobs.url()
                            + "; stepbox snapshot ls lists "
                            + "the snapshots there are"))) {
      Manifest m = json.readValue(in, Manifest.class);
      if (m.formatVersion() > Manifest.FORMAT_VERSION) {
        throw SnapshotException.tooNew(
            "snapshot "
                + id
                + " has format "
                + m.formatVersion()
                + ", newer than this stepbox reads ("
                + Manifest.FORMAT_VERSION
                + "); upgrade");
      }
      return m;
    } catch (JsonProcessingException e) {
      throw SnapshotException.corrupt("snapshot " + id + ": its manifest cannot be read: " + e, e);
    } catch (IOException e) {
      throw SnapshotException.store("snapshot " + id + ": its manifest cannot be read: " + e, e);
    }
  }

  /**
   * The diff's tar stream; a missing or corrupt chunk fails the read with its hash. Chunks are
   * fetched (in parallel), decompressed and verified (one at a time) up to {@link #AHEAD} ahead of
   * the reader, into buffers the stream reuses (at most {@code AHEAD + 1} of {@link Chunker#MAX}
   * bytes).
   */
  public InputStream open(Manifest manifest) {
    return new ChunkStream(manifest.chunks().iterator());
  }

  /** A snapshot's chunks in order as one stream. Not thread-safe. */
  private final class ChunkStream extends InputStream {
    private final Iterator<Manifest.Chunk> chunksLeft;
    private final Deque<Future<ChunkStore.Read>> ahead = new ArrayDeque<>();

    /**
     * The last chunk asked for, decoded: chunks are fetched in parallel (a remote store's latency
     * overlaps) but decompressed and checked one after another, so that a restore's CPU work takes
     * at most one core from the {@code tar -x} it feeds.
     */
    private CompletableFuture<ChunkStore.Read> decoded = CompletableFuture.completedFuture(null);

    private final Deque<byte[]> free = new ArrayDeque<>();
    private ChunkStore.Read current;
    private int at;

    /** Why the stream failed: it fails the same way from then on, never skipping a chunk. */
    private RuntimeException failed;

    ChunkStream(Iterator<Manifest.Chunk> chunksLeft) {
      this.chunksLeft = chunksLeft;
    }

    /** The current chunk with bytes left in it, or false at the stream's end. */
    private boolean advance() {
      if (failed != null) {
        throw failed;
      }
      while (current == null || at == current.length()) {
        if (current != null) {
          free.push(current.bytes());
          current = null;
        }
        while (ahead.size() < AHEAD && chunksLeft.hasNext()) {
          String hash = chunksLeft.next().hash();
          byte[] into = free.isEmpty() ? new byte[Chunker.MAX] : free.pop();
          CompletableFuture<byte[]> stored =
              CompletableFuture.supplyAsync(() -> chunks.compressed(hash), FETCH);
          decoded =
              decoded.thenCombineAsync(stored, (before, c) -> chunks.decode(hash, c, into), FETCH);
          ahead.add(decoded);
        }
        if (ahead.isEmpty()) {
          return false;
        }
        current = next();
        at = 0;
      }
      return true;
    }

    private ChunkStore.Read next() {
      try {
        return ahead.poll().get();
      } catch (ExecutionException e) {
        failed =
            e.getCause() instanceof RuntimeException r
                ? r
                : SnapshotException.store("reading a chunk failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = SnapshotException.interrupted("interrupted while reading a snapshot", e);
      }
      close();
      throw failed;
    }

    @Override
    public int read() {
      return advance() ? current.bytes()[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (!advance()) {
        return -1;
      }
      int n = Math.min(len, current.length() - at);
      System.arraycopy(current.bytes(), at, b, off, n);
      at += n;
      return n;
    }

    /** Writes the rest of the stream straight from the chunks, {@link #WRITE} bytes at most. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
      long total = 0;
      while (advance()) {
        int n = Math.min(WRITE, current.length() - at);
        out.write(current.bytes(), at, n);
        at += n;
        total += n;
      }
      return total;
    }

    @Override
    public void close() {
      ahead.forEach(f -> f.cancel(true));
      ahead.clear();
    }
  }

  private static final int AHEAD = 4;

  /**
   * The most one write of {@link InputStream#transferTo} hands on: into a pipe (which holds 64 KiB)
   * InputStream's own 8 KiB writes cost the reader a wake-up each, while a native write copies its
   * whole length once more.
   */
  private static final int WRITE = 256 << 10;

  /** Shared daemon threads: reading holds no resource beyond the chunks in flight. */
  private static final ExecutorService FETCH =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "stepbox-chunk-fetch");
            t.setDaemon(true);
            return t;
          });
}
