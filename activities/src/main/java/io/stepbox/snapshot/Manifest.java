package io.stepbox.snapshot;

import java.util.List;

/**
 * The commit record of a snapshot, written last: a snapshot exists only when its manifest does. It
 * lists the chunks of the diff's tar stream in order, the paths the diff deletes, and where the
 * snapshot came from.
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the writer
 * @param id the snapshot id, also its key {@code manifests/<id>.json}
 * @param image the image reference the diff applies to
 * @param imageId the image's content id, so that a restore can refuse a different image
 * @param deletions paths the diff deletes from the image; a directory it replaces whole ends with /
 * @param fifos fifos to make after the tar stream is extracted
 * @param tarBytes length of the diff's tar stream
 * @param uploadedBytes what writing this snapshot sent (chunks already stored cost nothing)
 * @param createdAt ISO-8601 instant
 */
public record Manifest(
    int formatVersion,
    String id,
    String image,
    String imageId,
    String taskId,
    String stepId,
    List<Chunk> chunks,
    List<String> deletions,
    List<Fifo> fifos,
    long fileCount,
    long tarBytes,
    long uploadedBytes,
    String createdAt) {

  public static final int FORMAT_VERSION = 1;

  /** One chunk of the tar stream: its SHA-256 and raw size. */
  public record Chunk(String hash, int size) {}

  /**
   * A fifo that gVisor kept in its own memory (its gofer does not create fifos on the host), so it
   * is recorded here rather than in the tar stream and made again inside the restored sandbox.
   *
   * @param mtime ISO-8601 instant
   */
  public record Fifo(String path, int mode, long uid, long gid, String mtime) {}

  public Manifest {
    chunks = List.copyOf(chunks);
    deletions = List.copyOf(deletions);
    fifos = fifos == null ? List.of() : List.copyOf(fifos);
  }

  /** Key of a manifest in the blob store. */
  public static String key(String id) {
    return "manifests/" + id + ".json";
  }
}
