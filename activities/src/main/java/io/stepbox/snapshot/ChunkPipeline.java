package io.stepbox.snapshot;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads, buffers and compressors that store chunks. Writers of the usual parallelism share
 * one per process, allocated once: memory for chunks in flight is bounded per process, and a new
 * engine (a CLI command, a test) starts with the pipeline warm.
 */
final class ChunkPipeline {
  final ExecutorService uploads;

  /** Threads that wait for the disk: sync a staged chunk, then rename it into place. */
  final ExecutorService syncs;

  final Buffers buffers;
  final ThreadLocal<ChunkStore.Compressor> compressor = new ThreadLocal<>();

  ChunkPipeline(int parallelism) {
    this.buffers = new Buffers(parallelism + 1);
    this.syncs = Executors.newFixedThreadPool(parallelism, daemon("stepbox-chunk-sync"));
    // Each uploading thread keeps its compressor (native memory, freed when the thread ends).
    this.uploads =
        Executors.newFixedThreadPool(
            parallelism,
            r ->
                daemon("stepbox-chunk-upload")
                    .newThread(
                        () -> {
                          try (ChunkStore.Compressor c = new ChunkStore.Compressor()) {
                            compressor.set(c);
                            r.run();
                          }
                        }));
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  void close() {
    syncs.shutdownNow();
    uploads.shutdownNow();
    try {
      uploads.awaitTermination(30, TimeUnit.SECONDS);
      syncs.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Chunk buffers, shared by the writes in progress and made as needed up to {@code size}: one for
   * the chunk being cut, the rest for the chunks being stored. Taking one waits for a store to
   * finish, so however many snapshots are written at once and however fast their streams come,
   * memory stays at {@code size} chunks, allocated once. (A write waits holding no buffer, and
   * stores always give theirs back, so writes cannot wait on each other forever.)
   */
  static final class Buffers {
    private final BlockingQueue<byte[]> free;
    private final AtomicInteger unmade;

    Buffers(int size) {
      this.free = new ArrayBlockingQueue<>(size);
      this.unmade = new AtomicInteger(size);
    }

    byte[] take() throws InterruptedException {
      byte[] buffer = free.poll();
      if (buffer != null) {
        return buffer;
      }
      if (unmade.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return new byte[Chunker.MAX];
      }
      return free.take();
    }

    void give(byte[] buffer) {
      free.add(buffer);
    }
  }
}
