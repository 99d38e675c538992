package io.stepbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Object storage for snapshots and step output: a flat namespace of keys ({@code a/b/c}) to
 * immutable bytes. Writes are atomic: a reader sees a whole object or none. Implementations are
 * thread-safe. Every method throws {@link BlobStoreException}.
 */
public interface BlobStore extends AutoCloseable {

  /** Size and last modification of a blob; empty when it does not exist. */
  Optional<BlobInfo> stat(String key);

  /** Whether a blob exists. */
  default boolean exists(String key) {
    return stat(key).isPresent();
  }

  /**
   * Stores {@code length} bytes read from {@code data} under {@code key}, replacing what was there.
   * The object becomes visible only once it is complete; a failed put leaves nothing visible. The
   * stream is read to its end but not closed.
   */
  void put(String key, InputStream data, long length);

  /** Stores a small object. */
  default void put(String key, byte[] data) {
    put(key, data, 0, data.length);
  }

  /**
   * Stores {@code length} bytes of {@code data} from {@code offset}; the array is not used once
   * this returns.
   */
  default void put(String key, byte[] data, int offset, int length) {
    put(key, new java.io.ByteArrayInputStream(data, offset, length), length);
  }

  /** An object written but not yet durable, nor visible. */
  interface Staged {
    /** Makes the object durable, then visible, as {@link #put} would have. */
    void commit();

    /** Drops it: nothing becomes visible. */
    void abort();
  }

  /**
   * Writes {@code length} bytes of {@code data} under {@code key} without waiting for them to be
   * durable; nothing is visible until {@link Staged#commit()}. Lets a caller go on (say, cutting
   * the next chunk) while the disk catches up. The array is not used once this returns. A store
   * that cannot split the two stores the object now, and its commit does nothing.
   */
  default Staged stage(String key, byte[] data, int offset, int length) {
    put(key, data, offset, length);
    return new Staged() {
      @Override
      public void commit() {}

      @Override
      public void abort() {}
    };
  }

  /** Opens an object for reading; empty when it does not exist. The caller closes the stream. */
  Optional<InputStream> get(String key);

  /**
   * An object's bytes; empty when it does not exist.
   *
   * @throws IOException when reading it fails part way
   */
  default Optional<byte[]> getBytes(String key) throws IOException {
    Optional<InputStream> in = get(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream stream = in.get()) {
      return Optional.of(stream.readAllBytes());
    }
  }

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<BlobInfo> list(String prefix);

  /** Removes an object; a missing one is not an error. */
  void delete(String key);

  /** Where this store is, as a URL ({@code file:///...} or {@code s3://bucket/prefix}). */
  String url();

  @Override
  void close();

  /**
   * Opens the store a URL names: {@code file:///path} (a local directory, created when missing) or
   * {@code s3://bucket[/prefix]} (AWS S3 or a compatible store; endpoint, region and credentials
   * come from the standard AWS environment, see {@link S3BlobStore}).
   *
   * @throws BlobStoreException when the URL's scheme is neither
   */
  static BlobStore open(String url) {
    URI uri = URI.create(url);
    if ("file".equals(uri.getScheme())) {
      return new LocalBlobStore(Path.of(uri));
    }
    if ("s3".equals(uri.getScheme())) {
      return S3BlobStore.fromEnvironment(uri, System.getenv());
    }
    throw new BlobStoreException(
        "STEPBOX_BLOB_URL: '" + url + "' is neither file:///path nor " + "s3://bucket/prefix",
        false,
        null);
  }
}
