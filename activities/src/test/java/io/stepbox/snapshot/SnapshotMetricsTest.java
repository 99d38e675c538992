package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepbox.store.LocalBlobStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot meters a writer records: bytes stored, reused and uploaded, and the ratio. */
class SnapshotMetricsTest {
  @TempDir Path dir;

  @Test
  void aSecondIdenticalSnapshotIsAllReusedAndHalvesTheRatio() {
    var registry = new SimpleMeterRegistry();
    byte[] data = new byte[3 << 20];
    new Random(7).nextBytes(data);
    var origin = new SnapshotWriter.Origin("img", "sha256:1", "t", "s");
    try (var writer =
        new SnapshotWriter(
            new LocalBlobStore(dir),
            new ObjectMapper(),
            Clock.systemUTC(),
            2,
            new SnapshotMetrics(registry))) {
      Manifest first = writer.write(new ByteArrayInputStream(data), origin, List.of(), 1);
      assertThat(registry.get("stepbox.snapshot.dedup.ratio").gauge().value()).isZero();
      writer.write(new ByteArrayInputStream(data), origin, List.of(), 1);
      assertThat(registry.get("stepbox.snapshot.stored").counter().count()).isEqualTo(data.length);
      assertThat(registry.get("stepbox.snapshot.reused").counter().count()).isEqualTo(data.length);
      assertThat(registry.get("stepbox.snapshot.uploaded").counter().count())
          .isEqualTo(first.uploadedBytes());
      assertThat(registry.get("stepbox.snapshot.dedup.ratio").gauge().value()).isEqualTo(0.5);
    }
  }
}
