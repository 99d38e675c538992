package io.stepbox.sandbox;

/** Keeps the last {@code capacity} bytes written and counts all of them. Not thread-safe. */
final class TailBuffer {
  private final byte[] ring;
  private int position;
  private int filled;
  private long total;

  TailBuffer(int capacity) {
    ring = new byte[capacity];
  }

  void write(byte[] data, int offset, int length) {
    total += length;
    int cap = ring.length;
    if (cap == 0) {
      return;
    }
    if (length >= cap) {
      System.arraycopy(data, offset + length - cap, ring, 0, cap);
      position = 0;
      filled = cap;
      return;
    }
    int first = Math.min(length, cap - position);
    System.arraycopy(data, offset, ring, position, first);
    System.arraycopy(data, offset + first, ring, 0, length - first);
    position = (position + length) % cap;
    filled = Math.min(cap, filled + length);
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
}
