package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection never removes a chunk that a committed snapshot needs. */
class GarbageCollectorTest {
  private static final SnapshotWriter.Origin ORIGIN =
      new SnapshotWriter.Origin("img", "sha256:1", null, null);
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  /** Snapshots share 512 KiB segments from a small pool, so that they share chunks too. */
  private static byte[] snapshotData(Random random, List<byte[]> pool) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
      out.writeBytes(pool.get(random.nextInt(pool.size())));
    }
    return out.toByteArray();
  }

  @Test
  void randomSnapshotsAndDeletionsNeverLoseAReferencedChunk() throws IOException {
    for (long seed = 1; seed <= 6; seed++) {
      Path root = dir.resolve("run-" + seed);
      try (BlobStore blobs = new LocalBlobStore(root);
          SnapshotWriter writer = new SnapshotWriter(blobs, json, Clock.systemUTC(), 4)) {
        Random random = new Random(seed);
        List<byte[]> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          byte[] segment = new byte[512 * 1024];
          random.nextBytes(segment);
          pool.add(segment);
        }
        SnapshotReader reader = new SnapshotReader(blobs, json);
        // Everything written so far is older than the grace period at the collector's clock.
        var collector =
            new GarbageCollector(
                blobs, reader, Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
        Map<String, byte[]> live = new HashMap<>();
        for (int round = 0; round < 12; round++) {
          byte[] data = snapshotData(random, pool);
          live.put(writer.write(new ByteArrayInputStream(data), ORIGIN, List.of(), 0).id(), data);
          if (random.nextInt(3) == 0 && !live.isEmpty()) {
            String victim = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
            blobs.delete(Manifest.key(victim));
            live.remove(victim);
          }
          if (random.nextBoolean()) {
            collector.collect(Duration.ofDays(1), List.of(), false);
          }
          for (var e : live.entrySet()) {
            try (InputStream in = reader.open(reader.manifest(e.getKey()))) {
              assertThat(in.readAllBytes())
                  .as("seed %d snapshot %s", seed, e.getKey())
                  .isEqualTo(e.getValue());
            }
          }
        }
        var last = collector.collect(Duration.ofDays(1), List.of(), false);
        long needed =
            live.keySet().stream()
                .flatMap(id -> reader.manifest(id).chunks().stream())
                .map(Manifest.Chunk::hash)
                .distinct()
                .count();
        assertThat(blobs.list("chunks/"))
            .as("nothing but the needed chunks is left")
            .hasSize((int) needed);
        assertThat(last.chunksKept()).isEqualTo(needed);
      }
    }
  }

  @Test
  void chunksOfASnapshotStillBeingWrittenAreYoungAndKept() {
    try (BlobStore blobs = new LocalBlobStore(dir);
        SnapshotWriter writer = new SnapshotWriter(blobs, json, Clock.systemUTC(), 4)) {
      byte[] data = new byte[3 << 20];
      new Random(9).nextBytes(data);
      Manifest m = writer.write(new ByteArrayInputStream(data), ORIGIN, List.of(), 0);
      blobs.delete(Manifest.key(m.id())); // as if the manifest were not committed yet
      var report =
          new GarbageCollector(blobs, new SnapshotReader(blobs, json), Clock.systemUTC())
              .collect(Duration.ofHours(24), List.of(), false);
      assertThat(report.chunksRemoved()).isZero();
      assertThat(report.chunksYoung()).isEqualTo(m.chunks().size());
    }
  }
}
