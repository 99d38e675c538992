package io.stepbox.workflows.step;

import java.util.List;

/**
 * Paths to copy out of a snapshot into one tar in the blob store.
 *
 * @param taskId the workflow id; names the tar
 * @param image the image the snapshot was taken on
 * @param snapshotId the snapshot to read
 * @param paths absolute paths inside the sandbox, files or directories
 */
public record ExportRequest(String taskId, String image, String snapshotId, List<String> paths) {

  /** An empty path list instead of null. */
  public ExportRequest {
    paths = paths == null ? List.of() : List.copyOf(paths);
  }
}
