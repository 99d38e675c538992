package io.stepbox.snapshot;

import io.stepbox.store.BlobInfo;
import io.stepbox.store.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mark and sweep over the chunk store. Marks every chunk of every committed manifest (and of the
 * snapshots named as extra roots), then removes chunks nothing marks that are older than the grace
 * period. A snapshot being written has no manifest yet, but its chunks are young: new ones were
 * just written and reused ones are rewritten when older than {@link ChunkStore#REFRESH_AFTER}. So
 * with a grace longer than that plus the longest snapshot write, no chunk a snapshot needs, now or
 * once it commits, is ever swept.
 */
public final class GarbageCollector {
  private final BlobStore blobs;
  private final SnapshotReader reader;
  private final Clock clock;

  public GarbageCollector(BlobStore blobs, SnapshotReader reader, Clock clock) {
    this.blobs = blobs;
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * What a collection found and did.
   *
   * @param manifests snapshots marked from
   * @param chunksKept chunks still referenced
   * @param chunksYoung unreferenced chunks kept because they are within the grace period
   * @param chunksRemoved chunks swept (or that would be, on a dry run)
   * @param bytesFreed stored bytes of the swept chunks
   */
  public record Report(
      int manifests, int chunksKept, int chunksYoung, int chunksRemoved, long bytesFreed) {}

  /**
   * Collects garbage. Fails before removing anything when a manifest cannot be read, since its
   * chunks could not be marked.
   *
   * @param extraRoots snapshot ids to mark from besides the listed manifests (they must exist)
   * @param dryRun report what would be removed without removing it
   */
  public Report collect(Duration grace, Collection<String> extraRoots, boolean dryRun) {
    if (grace.isNegative()) {
      throw SnapshotException.invalid("grace: " + grace + " must not be negative");
    }
    Instant cutoff = clock.instant().minus(grace);
    Set<String> ids = new HashSet<>(extraRoots);
    for (BlobInfo m : blobs.list("manifests/")) {
      String name = m.key().substring("manifests/".length());
      if (name.endsWith(".json")) {
        ids.add(name.substring(0, name.length() - ".json".length()));
      }
    }
    Set<String> marked = new HashSet<>();
    for (String id : ids) {
      reader.manifest(id).chunks().forEach(c -> marked.add(ChunkStore.key(c.hash())));
    }
    int kept = 0;
    int young = 0;
    long freed = 0;
    List<BlobInfo> sweep = new ArrayList<>();
    for (BlobInfo chunk : blobs.list("chunks/")) {
      if (marked.contains(chunk.key())) {
        kept++;
      } else if (chunk.lastModified().isAfter(cutoff)) {
        young++;
      } else {
        sweep.add(chunk);
        freed += chunk.size();
      }
    }
    if (!dryRun) {
      sweep.forEach(c -> blobs.delete(c.key()));
    }
    return new Report(ids.size(), kept, young, sweep.size(), freed);
  }
}
