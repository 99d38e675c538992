package io.stepbox.sandbox;

import java.util.Map;

/**
 * What the Docker engine says about itself: version, registered runtimes (name to path) and the
 * storage driver with its backing filesystem, which decides whether disk limits work.
 */
public record EngineInfo(
    String version, Map<String, String> runtimes, String storageDriver, String backingFilesystem) {
  public EngineInfo {
    runtimes = Map.copyOf(runtimes);
  }

  /** Disk limits need overlay2 on xfs (mounted with pquota). */
  public boolean supportsDiskLimits() {
    return "overlay2".equals(storageDriver) && "xfs".equals(backingFilesystem);
  }
}
