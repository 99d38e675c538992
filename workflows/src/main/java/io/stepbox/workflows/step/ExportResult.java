package io.stepbox.workflows.step;

import java.util.List;

/**
 * The tar of exported paths.
 *
 * @param ref blob key of the tar
 * @param bytes size of the tar
 * @param missing requested paths that did not exist in the snapshot
 */
public record ExportResult(String ref, long bytes, List<String> missing) {

  /** An empty missing list instead of null. */
  public ExportResult {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }
}
