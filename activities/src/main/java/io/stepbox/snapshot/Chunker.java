package io.stepbox.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Content-defined chunking (FastCDC with normalized chunking): cuts a stream where a rolling gear
 * hash of the last bytes matches a mask, so an insertion or deletion moves only the cuts near it
 * and the chunks elsewhere stay byte-identical (and deduplicate). Chunks are between {@code min}
 * and {@code max} bytes, about {@code avg} on average. The stream is read straight into the
 * caller's buffer, in reads of at most {@link #READ} bytes; what a read brought past a cut (less
 * than one read) is kept for the next chunk. Not thread-safe; deterministic for given sizes.
 */
public final class Chunker {
  /** Sizes used for snapshots: 256 KiB / 1 MiB / 4 MiB. */
  public static final int MIN = 256 << 10;

  public static final int AVG = 1 << 20;
  public static final int MAX = 4 << 20;

  /** The most one read asks for: a pipe holds 64 KiB, and the bytes past a cut are copied once. */
  static final int READ = 64 << 10;

  /** The same table in every process: cut points must never depend on where they are computed. */
  private static final long[] GEAR = gear();

  private final InputStream in;
  private final int min;
  private final int avg;
  private final int max;
  private final long maskSmall;
  private final long maskLarge;
  private byte[] carry = new byte[READ];
  private int carried;
  private boolean eof;

  public Chunker(InputStream in) {
    this(in, MIN, AVG, MAX);
  }

  /**
   * @throws IllegalArgumentException unless {@code 0 < min <= avg <= max} and avg is a power of 2
   */
  public Chunker(InputStream in, int min, int avg, int max) {
    if (min <= 0 || min > avg || avg > max || Integer.bitCount(avg) != 1) {
      throw new IllegalArgumentException(
          "chunk sizes need 0 < min <= avg <= max, avg a power of"
              + " two; got "
              + min
              + "/"
              + avg
              + "/"
              + max);
    }
    this.in = in;
    this.min = min;
    this.avg = avg;
    this.max = max;
    int bits = Integer.numberOfTrailingZeros(avg);
    // Normalized chunking: harder to cut before the average size, easier after it.
    this.maskSmall = mask(bits + 2);
    this.maskLarge = mask(bits - 2);
  }

  /**
   * The next chunk, or null at the end of the stream. The returned array is a copy the caller owns.
   */
  public byte[] next() throws IOException {
    byte[] chunk = new byte[max];
    int n = next(chunk);
    return n < 0 ? null : Arrays.copyOf(chunk, n);
  }

  /**
   * Reads the next chunk into the start of {@code into} (at least {@code max} bytes long) and
   * returns its length, or -1 at the end of the stream. Nothing past that length is kept: {@code
   * into} is the caller's again once this returns.
   */
  public int next(byte[] into) throws IOException {
    if (into.length < max) {
      throw new IllegalArgumentException("a chunk buffer needs " + max + " bytes");
    }
    System.arraycopy(carry, 0, into, 0, carried);
    int filled = carried;
    carried = 0;
    // The hash's dependency chain (shift, add) is the cost per byte: locals keep anything else out
    // of the loops. (Two bytes a step, with the first byte's hash off the chain, measured slower.)
    long[] gear = GEAR;
    long small = maskSmall;
    long large = maskLarge;
    long hash = 0;
    int i = min;
    while (true) {
      int stop = Math.min(filled, max);
      for (int normal = Math.min(stop, avg); i < normal; i++) {
        hash = (hash << 1) + gear[into[i] & 0xff];
        if ((hash & small) == 0) {
          return cut(into, i + 1, filled);
        }
      }
      for (; i < stop; i++) {
        hash = (hash << 1) + gear[into[i] & 0xff];
        if ((hash & large) == 0) {
          return cut(into, i + 1, filled);
        }
      }
      if (filled >= max) {
        return cut(into, max, filled);
      }
      if (eof) {
        return filled == 0 ? -1 : filled;
      }
      int n = in.read(into, filled, Math.min(READ, max - filled));
      if (n < 0) {
        eof = true;
      } else {
        filled += n;
      }
    }
  }

  /** Ends the chunk at {@code at}, keeping what was read past it for the next. */
  private int cut(byte[] into, int at, int filled) {
    carried = filled - at;
    if (carried > carry.length) {
      carry = new byte[carried]; // not expected: a cut falls within the last read
    }
    System.arraycopy(into, at, carry, 0, carried);
    return at;
  }

  /** {@code bits} one-bits spread over the high half of the word, as FastCDC does. */
  private static long mask(int bits) {
    long m = 0;
    for (int i = 0; i < bits; i++) {
      m |= 1L << (63 - i * 2 % 48);
    }
    return m;
  }

  private static long[] gear() {
    SplittableRandom random = new SplittableRandom(0x5354_4550_424f_58L); // "STEPBOX"
    long[] table = new long[256];
    for (int i = 0; i < table.length; i++) {
      table[i] = random.nextLong();
    }
    return table;
  }
}
