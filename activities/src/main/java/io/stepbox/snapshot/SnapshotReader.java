package io.stepbox.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.Iterator;

/**
 * Reads snapshots: their manifests, and the diff's tar stream rebuilt from verified chunks, fetched
 * one at a time as the stream is read (memory: one chunk).
 */
public final class SnapshotReader {
  private final BlobStore blobs;
  private final ChunkStore chunks;
  private final ObjectMapper json;

  public SnapshotReader(BlobStore blobs, ObjectMapper json) {
    this.blobs = blobs;
    this.chunks = new ChunkStore(blobs);
    this.json = json;
  }

  /**
   * The committed manifest of snapshot {@code id}.
   *
   * @throws SnapshotException when it does not exist (never committed) or cannot be read
   */
  public Manifest manifest(String id) {
    try (InputStream in =
        blobs
            .get(Manifest.key(id))
            .orElseThrow(
                () ->
                    new SnapshotException(
                        "snapshot "
                            + id
                            + " does not exist in "
                            + blobs.url()
                            + "; stepbox snapshot ls lists "
                            + "the snapshots there are"))) {
      Manifest m = json.readValue(in, Manifest.class);
      if (m.formatVersion() > Manifest.FORMAT_VERSION) {
        throw new SnapshotException(
            "snapshot "
                + id
                + " has format "
                + m.formatVersion()
                + ", newer than this stepbox reads ("
                + Manifest.FORMAT_VERSION
                + "); upgrade");
      }
      return m;
    } catch (IOException e) {
      throw new SnapshotException("snapshot " + id + ": its manifest cannot be read: " + e, e);
    }
  }

  /** The diff's tar stream; a missing or corrupt chunk fails the read with its hash. */
  public InputStream open(Manifest manifest) {
    Iterator<Manifest.Chunk> it = manifest.chunks().iterator();
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          @Override
          public boolean hasMoreElements() {
            return it.hasNext();
          }

          @Override
          public InputStream nextElement() {
            return new ByteArrayInputStream(chunks.get(it.next().hash()));
          }
        });
  }
}
