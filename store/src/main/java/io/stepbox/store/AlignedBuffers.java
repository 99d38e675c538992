package io.stepbox.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aligned buffers off the heap for objects {@link LocalBlobStore} writes past the page cache,
 * shared by every store in the process: at most {@link #COUNT} of {@link #SIZE} bytes (a chunk
 * compressed in the worst case fits), made as needed.
 */
final class AlignedBuffers {
  static final int ALIGN = 4096; // a disk block or a multiple of one
  static final int SIZE = (4 << 20) + (64 << 10);
  static final int COUNT = 8;
  static final byte[] ZEROS = new byte[ALIGN];
  private static final BlockingQueue<ByteBuffer> FREE = new ArrayBlockingQueue<>(COUNT);
  private static final AtomicInteger UNMADE = new AtomicInteger(COUNT);

  private AlignedBuffers() {}

  static int padded(int length) {
    return Math.max(ALIGN, (length + ALIGN - 1) & -ALIGN);
  }

  /**
   * A cleared buffer for {@code length} bytes, or null when they do not fit or none comes free
   * within a second (staged objects not yet committed hold them all).
   */
  static ByteBuffer take(int length) {
    if (padded(length) > SIZE) {
      return null;
    }
    ByteBuffer b = FREE.poll();
    if (b == null && UNMADE.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      b = ByteBuffer.allocateDirect(SIZE + ALIGN).alignedSlice(ALIGN);
    }
    try {
      if (b == null) {
        b = FREE.poll(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return b == null ? null : b.clear();
  }

  static void give(ByteBuffer b) {
    FREE.add(b);
  }

  /** Buffers not held by a staged object. */
  static int free() {
    return FREE.size() + UNMADE.get();
  }
}
