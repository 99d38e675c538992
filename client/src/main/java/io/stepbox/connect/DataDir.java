package io.stepbox.connect;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where stepbox keeps its data on this machine, and the blob store that follows from it: the one
 * rule the CLI, the worker and the Java client share.
 */
public final class DataDir {
  private DataDir() {}

  /**
   * {@code STEPBOX_DATA_DIR}; default {@code $XDG_DATA_HOME/stepbox}, else {@code
   * ~/.local/share/stepbox}.
   */
  public static Path of(Map<String, String> env) {
    if (env.containsKey("STEPBOX_DATA_DIR")) {
      return Path.of(env.get("STEPBOX_DATA_DIR"));
    }
    if (env.containsKey("XDG_DATA_HOME")) {
      return Path.of(env.get("XDG_DATA_HOME"), "stepbox");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "stepbox");
  }

  /** {@code STEPBOX_BLOB_URL}; default {@code file://<data dir>/blobs}. */
  public static String blobUrl(Map<String, String> env) {
    return env.getOrDefault("STEPBOX_BLOB_URL", of(env).resolve("blobs").toUri().toString());
  }
}
