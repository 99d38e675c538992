package io.stepbox.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Content-defined chunking for tar streams (FastCDC-style, with normalized chunking): cuts a stream
 * where a rolling hash of the last bytes matches a mask, so an insertion or deletion moves only the
 * cuts near it and the chunks elsewhere stay byte-identical (and deduplicate). Chunks are between
 * {@code min} and {@code max} bytes, about {@code avg} on average.
 *
 * <p>The hash takes the stream 8 bytes at a time and cuts only at multiples of 8 bytes from the
 * stream's start. A tar stream changes in whole 512-byte blocks, so every edit moves what follows
 * it by a multiple of 8 and the cuts after it fall back into step exactly as a byte-wise hash's
 * would; an edit by any other amount (not a tar stream) changes every cut after it. Per byte this
 * costs about a sixth of a byte-wise gear hash.
 *
 * <p>The stream is read straight into the caller's buffer, in reads of at most {@link #READ} bytes;
 * what a read brought past a cut (less than one read) is kept for the next chunk. Not thread-safe;
 * deterministic for given sizes, whatever sizes the reads return.
 */
public final class Chunker {
  /** Sizes used for snapshots: 256 KiB / 1 MiB / 4 MiB. */
  public static final int MIN = 256 << 10;

  public static final int AVG = 1 << 20;
  public static final int MAX = 4 << 20;

  /** The most one read asks for: a pipe holds 64 KiB, and the bytes past a cut are copied once. */
  static final int READ = 64 << 10;

  /** Bytes the hash takes at a step; every cut falls on a multiple of this from the start. */
  static final int WORD = Long.BYTES;

  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * The word mix's constants, the same in every process: cut points must never depend on where they
   * are computed. The offset keeps a run of zero bytes from cutting at every step (see
   * ChunkerTest#aRunOfZerosIsCutAtTheMaximum).
   */
  private static final long OFFSET = 0x5354_4550_424f_58L; // "STEPBOX"

  private static final long MULTIPLIER = 0x9e37_79b9_7f4a_7c15L; // 2^64 / golden ratio, odd

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
   * @throws IllegalArgumentException unless {@code 0 < min <= avg <= max}, avg is a power of 2 of
   *     at least 64 and min and max are multiples of 8
   */
  public Chunker(InputStream in, int min, int avg, int max) {
    if (min <= 0
        || min > avg
        || avg > max
        || Integer.bitCount(avg) != 1
        || avg < 64
        || min % WORD != 0
        || max % WORD != 0) {
      throw new IllegalArgumentException(
          "chunk sizes need 0 < min <= avg <= max, avg a power of two of at least 64, min and max"
              + " multiples of 8; got "
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
    // One candidate cut per word: avg / 8 candidates between cuts on average.
    int bits = Integer.numberOfTrailingZeros(avg / WORD);
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
    // Locals keep anything but the hash's own work out of the loops.
    long small = maskSmall;
    long large = maskLarge;
    long hash = 0;
    int i = min;
    while (true) {
      int stop = Math.min(filled, max) & -WORD; // whole words only
      for (int normal = Math.min(stop, avg); i < normal; i += WORD) {
        hash = (hash << 1) + mix((long) WORDS.get(into, i));
        if ((hash & small) == 0) {
          return cut(into, i + WORD, filled);
        }
      }
      for (; i < stop; i += WORD) {
        hash = (hash << 1) + mix((long) WORDS.get(into, i));
        if ((hash & large) == 0) {
          return cut(into, i + WORD, filled);
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

  /**
   * A word's contribution to the hash: every bit of the word reaches the high bits the masks test
   * (the multiply) and the low ones (the shift).
   */
  private static long mix(long word) {
    long m = (word ^ OFFSET) * MULTIPLIER;
    return m ^ (m >>> 29);
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
}
