package io.stepbox.sandbox;

import java.util.Arrays;

/**
 * Keeps the last {@code capacity} bytes written and counts all of them. Memory follows what was
 * written, up to the capacity: most commands print little, while limits run to megabytes. Not
 * thread-safe.
 */
final class TailBuffer {
  private static final int INITIAL = 8 << 10;

  private final int capacity;

  /** Linear (from index 0) until it reaches the capacity; a ring from then on. */
  private byte[] ring;

  private int position;
  private int filled;
  private long total;

  TailBuffer(int capacity) {
    this.capacity = capacity;
    this.ring = new byte[Math.min(capacity, INITIAL)];
  }

  void write(byte[] data, int offset, int length) {
    total += length;
    int cap = capacity;
    if (cap == 0) {
      return;
    }
    if (length >= cap) {
      if (ring.length < cap) {
        ring = new byte[cap];
      }
      System.arraycopy(data, offset + length - cap, ring, 0, cap);
      position = 0;
      filled = cap;
      return;
    }
    if (ring.length < cap && filled + length > ring.length) {
      // Not wrapped yet: the bytes are ring[0, filled).
      ring = Arrays.copyOf(ring, (int) Math.min(cap, Math.max(2L * ring.length, filled + length)));
      position = filled; // a full ring's position had come round to 0
    }
    int size = ring.length;
    int first = Math.min(length, size - position);
    System.arraycopy(data, offset, ring, position, first);
    System.arraycopy(data, offset + first, ring, 0, length - first);
    position = (position + length) % size;
    filled = Math.min(size, filled + length);
  }

  long total() {
    return total;
  }

  byte[] toByteArray() {
    byte[] out = new byte[filled];
    if (filled == 0) {
      return out;
    }
    int start = (position - filled + ring.length) % ring.length;
    int first = Math.min(filled, ring.length - start);
    System.arraycopy(ring, start, out, 0, first);
    System.arraycopy(ring, 0, out, first, filled - first);
    return out;
  }

  /** Bytes held for the tail now (for tests). */
  int allocated() {
    return ring.length;
  }
}
