package io.stepbox.snapshot;

import io.stepbox.sandbox.SandboxLayer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What capturing a sandbox leaves for capturing the same sandbox again: the layer's listing taken
 * just before, where each entry starts in the tar stream, and the chunks the stream was cut into.
 * With it the next capture reads only from the last chunk boundary before the first change on, and
 * only until the stream falls back into step with this one.
 *
 * @param layer the layer listed (the next capture must read the same directory, same mounts)
 * @param listing the layer's listing, taken before the stream was read or after (counting every
 *     entry changed since reading started as changed)
 * @param entries the stream's entries in order
 * @param entriesEnd where the last entry ends (the end-of-archive trailer follows)
 * @param chunks the stream's chunks in order
 * @param cutBytes bytes of the chunks this capture cut anew (the rest were the previous capture's)
 */
record PreviousCapture(
    SandboxLayer layer,
    Listing listing,
    List<TarScanner.Entry> entries,
    long entriesEnd,
    List<ChunkStore.Stored> chunks,
    long cutBytes) {

  /**
   * Entries remembered at most, over all sandboxes (about 400 bytes each); the least recently
   * captured sandbox is forgotten first.
   */
  static final int REMEMBERED_ENTRIES = 200_000;

  /** Where each chunk ends in the stream. */
  long[] chunkEnds() {
    long[] ends = new long[chunks.size()];
    long at = 0;
    for (int i = 0; i < ends.length; i++) {
      at += chunks.get(i).size();
      ends[i] = at;
    }
    return ends;
  }

  /** Whether every chunk is recent enough to be referenced again without rewriting it. */
  boolean chunksFresh(Instant now) {
    return chunks.stream().allMatch(c -> c.fresh(now));
  }

  /** Whether {@code now} is the same layer read the same way. */
  boolean matches(SandboxLayer now) {
    return layer.upperDir().equals(now.upperDir())
        && layer.mountTargets().equals(now.mountTargets())
        && layer.imageId().equals(now.imageId());
  }

  /** Index of the chunk that starts at {@code offset}, or -1 when no chunk does. */
  static int chunkStartingAt(long[] ends, long offset) {
    if (offset == 0) {
      return 0;
    }
    int i = Arrays.binarySearch(ends, offset);
    return i >= 0 && i + 1 < ends.length ? i + 1 : -1;
  }

  /**
   * Captures by sandbox id, least recently used first out, and those still being completed in the
   * background (see {@link #putLater}). Thread-safe.
   */
  static final class Memo {
    private final Map<String, PreviousCapture> bySandbox = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<Void>> pending = new HashMap<>();
    private long entries;

    /**
     * Remembers what {@code later} makes, in the background on {@code executor}, unless the sandbox
     * is forgotten or captured again first; null or a failure leaves nothing remembered.
     */
    void putLater(
        String sandboxId, Supplier<PreviousCapture> later, java.util.concurrent.Executor executor) {
      CompletableFuture<Void> made = new CompletableFuture<>();
      synchronized (this) {
        forget(sandboxId);
        pending.put(sandboxId, made);
      }
      java.util.function.BiConsumer<PreviousCapture, Throwable> done =
          (capture, failure) -> {
            synchronized (this) {
              if (pending.get(sandboxId) == made) {
                pending.remove(sandboxId);
                if (capture != null) {
                  put(sandboxId, capture);
                }
              }
            }
            made.complete(null); // waiters look in the memo; a failure means reading whole
          };
      try {
        CompletableFuture.supplyAsync(later, executor).whenComplete(done);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        done.accept(null, e); // the engine is closing
      }
    }

    /** Waits until what the last capture of the sandbox left is remembered (or given up). */
    void awaitPending(String sandboxId) {
      CompletableFuture<Void> made;
      synchronized (this) {
        made = pending.get(sandboxId);
      }
      if (made != null) {
        made.join();
      }
    }

    synchronized PreviousCapture get(String sandboxId, SandboxLayer layer) {
      PreviousCapture p = bySandbox.get(sandboxId);
      return p != null && p.matches(layer) ? p : null;
    }

    synchronized PreviousCapture peek(String sandboxId) {
      return bySandbox.get(sandboxId);
    }

    synchronized void put(String sandboxId, PreviousCapture capture) {
      forget(sandboxId);
      if (capture.entries().size() > REMEMBERED_ENTRIES) {
        return; // a layer this large is read whole each time rather than crowd out all others
      }
      bySandbox.put(sandboxId, capture);
      entries += capture.entries().size();
      var eldest = bySandbox.entrySet().iterator();
      while (entries > REMEMBERED_ENTRIES && eldest.hasNext()) {
        entries -= eldest.next().getValue().entries().size();
        eldest.remove();
      }
    }

    synchronized void forget(String sandboxId) {
      CompletableFuture<Void> made = pending.remove(sandboxId);
      if (made != null) {
        made.complete(null); // whatever it makes is dropped
      }
      PreviousCapture p = bySandbox.remove(sandboxId);
      if (p != null) {
        entries -= p.entries().size();
      }
    }
  }
}
