package io.stepbox.snapshot;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.stepbox.store.BlobStore;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Content-addressed chunks in a {@link BlobStore}: each chunk is stored zstd-compressed under
 * {@code chunks/<first two hex digits>/<sha-256 of the raw bytes>}. A chunk already present is not
 * uploaded again; a chunk read back is verified against its name. Thread-safe.
 */
public final class ChunkStore {
  static final String PREFIX = "chunks/";
  private static final int LEVEL = 1;

  private final BlobStore blobs;

  public ChunkStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  /**
   * A stored chunk: its hash, raw size, bytes sent to the store (0 when it was there), and a time
   * at or before the stored copy's modification time (what {@link GarbageCollector}'s grace counts
   * from).
   */
  public record Stored(String hash, int size, long uploadedBytes, java.time.Instant modified) {
    /** Whether the stored copy is recent enough to be counted on without writing it again. */
    boolean fresh(java.time.Instant now) {
      return modified.isAfter(now.minus(REFRESH_AFTER));
    }
  }

  /**
   * A chunk reused after this long is written again, which renews its modification time, so that
   * {@link GarbageCollector} (whose grace must exceed this plus the longest snapshot write) never
   * sweeps a chunk that a snapshot in progress counts on.
   */
  public static final java.time.Duration REFRESH_AFTER = java.time.Duration.ofHours(1);

  /** Stores a chunk unless the store has it (recently enough); idempotent. */
  public Stored put(byte[] chunk) {
    try (Compressor compressor = new Compressor()) {
      Staging staging = stage(chunk, chunk.length, compressor);
      staging.commit();
      return staging.stored();
    }
  }

  /**
   * Stores the first {@code length} bytes of {@code chunk} unless the store has them (recently
   * enough), compressing with {@code compressor}, and leaves the chunk to be made durable and
   * visible by {@link Staging#commit()} (a chunk the store had needs nothing more). The array is
   * not used once this returns.
   */
  Staging stage(byte[] chunk, int length, Compressor compressor) {
    String hash = sha256(chunk, length);
    String key = key(hash);
    java.time.Instant now = java.time.Instant.now();
    var present = blobs.stat(key);
    if (present.isPresent()) {
      Stored there = new Stored(hash, length, 0, present.get().lastModified());
      if (there.fresh(now)) {
        return new Staging(there, null);
      }
    }
    int packed = compressor.compress(chunk, length);
    return new Staging(
        new Stored(hash, length, packed, now), blobs.stage(key, compressor.output, 0, packed));
  }

  /** A chunk stored, or staged to be: {@code staged} is null when the store had it. */
  record Staging(Stored stored, BlobStore.Staged staged) {
    void commit() {
      if (staged != null) {
        staged.commit();
      }
    }

    void abort() {
      if (staged != null) {
        staged.abort();
      }
    }
  }

  /**
   * A zstd context and an output buffer, kept from chunk to chunk by one thread at a time: a new
   * context and a new worst-case buffer per chunk cost as much as a tenth of the compression.
   */
  static final class Compressor implements AutoCloseable {
    private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(LEVEL);
    private byte[] output = new byte[0];

    int compress(byte[] data, int length) {
      int bound = (int) Zstd.compressBound(length);
      if (output.length < bound) {
        output = new byte[bound];
      }
      return zstd.compressByteArray(output, 0, output.length, data, 0, length);
    }

    @Override
    public void close() {
      zstd.close();
    }
  }

  /**
   * Reads a chunk and checks it against its hash.
   *
   * @throws SnapshotException naming the chunk when it is missing or does not match
   */
  public byte[] get(String hash) {
    Read read = decode(hash, compressed(hash), new byte[0]);
    return read.length() == read.bytes().length
        ? read.bytes()
        : Arrays.copyOf(read.bytes(), read.length());
  }

  /**
   * A chunk as stored (compressed, not yet checked).
   *
   * @throws SnapshotException naming the chunk when it is missing or cannot be read
   */
  byte[] compressed(String hash) {
    String key = key(hash);
    try {
      return blobs
          .getBytes(key)
          .orElseThrow(
              () ->
                  SnapshotException.corrupt(
                      "chunk " + hash + " is missing from " + blobs.url() + " (" + key + ")"));
    } catch (IOException e) {
      throw SnapshotException.store("chunk " + hash + ": reading " + key + " failed: " + e, e);
    }
  }

  /**
   * Decompresses chunk {@code hash} as stored ({@link #compressed}) into the start of {@code into}
   * when it fits (a new array when not) and checks it against its hash.
   *
   * @return the chunk: {@code into} or the new array, and its length
   * @throws SnapshotException naming the chunk when it does not match
   */
  Read decode(String hash, byte[] compressed, byte[] into) {
    int size = contentSize(hash, compressed);
    byte[] target = size <= into.length ? into : new byte[size];
    return new Read(target, decompress(hash, compressed, target));
  }

  /** A chunk read into {@code bytes}, whose first {@code length} it fills. */
  record Read(byte[] bytes, int length) {}

  /** Far above the largest chunk written ({@link Chunker#MAX}), for chunk sizes to come. */
  private static final int LARGEST = 64 << 20;

  private int contentSize(String hash, byte[] compressed) {
    long size;
    try {
      size = Zstd.getFrameContentSize(compressed);
    } catch (RuntimeException e) {
      throw corrupt(hash, e.getMessage(), e);
    }
    if (size < 0) {
      throw corrupt(hash, "not a zstd frame of known size", null);
    }
    if (size > LARGEST) {
      // A damaged header must not make a reader allocate gigabytes.
      throw corrupt(hash, "its frame claims " + size + " bytes, more than any chunk holds", null);
    }
    return (int) size;
  }

  /** Decompresses into the start of {@code into}, which holds the frame's content size. */
  private int decompress(String hash, byte[] compressed, byte[] into) {
    long result;
    try {
      result = Zstd.decompressByteArray(into, 0, into.length, compressed, 0, compressed.length);
    } catch (RuntimeException e) {
      throw corrupt(hash, e.getMessage(), e);
    }
    if (Zstd.isError(result)) {
      throw corrupt(hash, Zstd.getErrorName(result), null);
    }
    int length = (int) result;
    String actual = sha256(into, length);
    if (!actual.equals(hash)) {
      throw corrupt(hash, "its content hashes to " + actual, null);
    }
    return length;
  }

  private SnapshotException corrupt(String hash, String why, Throwable cause) {
    return SnapshotException.corrupt(
        "chunk " + hash + " in " + blobs.url() + " is corrupt: " + why, cause);
  }

  static String key(String hash) {
    boolean hex = hash.length() == 64;
    for (int i = 0; hex && i < hash.length(); i++) {
      char c = hash.charAt(i);
      hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }
    if (!hex) {
      throw SnapshotException.invalid("'" + hash + "' is not a chunk hash (64 hex digits)");
    }
    return PREFIX + hash.substring(0, 2) + "/" + hash;
  }

  static String sha256(byte[] data) {
    return sha256(data, data.length);
  }

  static String sha256(byte[] data, int length) {
    MessageDigest sha = SHA256.get();
    sha.update(data, 0, length);
    return HexFormat.of().formatHex(sha.digest()); // digest() also resets it for the next chunk
  }

  /**
   * One digest per thread, kept: looking one up costs a pass through the JCA provider tables per
   * chunk, and in a new worker a C2 compilation of that code inside some capture.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has SHA-256", e);
            }
          });
}
