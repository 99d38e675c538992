package io.stepbox.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Content-defined chunking (FastCDC with normalized chunking): cuts a stream where a rolling gear
 * hash of the last bytes matches a mask, so an insertion or deletion moves only the cuts near it
 * and the chunks elsewhere stay byte-identical (and deduplicate). Chunks are between {@code min}
 * and {@code max} bytes, about {@code avg} on average. Memory: one buffer of {@code 2 * max} bytes,
 * whatever the stream's length. Not thread-safe; deterministic for given sizes.
 */
public final class Chunker {
  /** Sizes used for snapshots: 256 KiB / 1 MiB / 4 MiB. */
  public static final int MIN = 256 << 10;

  public static final int AVG = 1 << 20;
  public static final int MAX = 4 << 20;

  /** The same table in every process: cut points must never depend on where they are computed. */
  private static final long[] GEAR = gear();

  private final InputStream in;
  private final int min;
  private final int avg;
  private final int max;
  private final long maskSmall;
  private final long maskLarge;
  private final byte[] buf;
  private int start;
  private int end;
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
    this.buf = new byte[2 * max];
  }

  /**
   * The next chunk, or null at the end of the stream. The returned array is a copy the caller owns.
   */
  public byte[] next() throws IOException {
    fill();
    int available = end - start;
    if (available == 0) {
      return null;
    }
    int cut = cutPoint(buf, start, available);
    byte[] chunk = Arrays.copyOfRange(buf, start, start + cut);
    start += cut;
    return chunk;
  }

  /**
   * Keeps at least {@code max} bytes buffered, unless the stream ends first. The buffer holds two
   * maximal chunks, so what is left is moved to its start at most once per {@code max} bytes read.
   */
  private void fill() throws IOException {
    if (end - start >= max || eof) {
      return;
    }
    if (start >= max) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end - start < max) {
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
        return;
      }
      end += n;
    }
  }

  private int cutPoint(byte[] data, int offset, int length) {
    if (length <= min) {
      return length;
    }
    int limit = Math.min(length, max);
    int normal = Math.min(limit, avg);
    long hash = 0;
    int i = min;
    for (; i < normal; i++) {
      hash = (hash << 1) + GEAR[data[offset + i] & 0xff];
      if ((hash & maskSmall) == 0) {
        return i + 1;
      }
    }
    for (; i < limit; i++) {
      hash = (hash << 1) + GEAR[data[offset + i] & 0xff];
      if ((hash & maskLarge) == 0) {
        return i + 1;
      }
    }
    return limit;
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
