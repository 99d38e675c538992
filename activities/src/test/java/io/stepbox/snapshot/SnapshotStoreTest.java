package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading snapshots' chunk streams on the local store (no sandbox involved). */
class SnapshotStoreTest {
  private static final SnapshotWriter.Origin ORIGIN =
      new SnapshotWriter.Origin("stepbox/base:busybox", "sha256:abc", "task-1", "clone");

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private BlobStore blobs;
  private SnapshotWriter writer;
  private SnapshotReader reader;

  @BeforeEach
  void open() {
    blobs = new LocalBlobStore(dir);
    writer = new SnapshotWriter(blobs, json, Clock.systemUTC(), 4);
    reader = new SnapshotReader(blobs, json);
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Manifest write(byte[] data) {
    return writer.write(new ByteArrayInputStream(data), ORIGIN, List.of("/etc/motd"), 3);
  }

  @Test
  void roundTripsThroughChunksAndAManifest() throws IOException {
    byte[] data = random(12 << 20, 1);
    Manifest m = write(data);
    assertThat(m.tarBytes()).isEqualTo(data.length);
    assertThat(m.chunks()).hasSizeGreaterThan(3);
    assertThat(m.uploadedBytes()).isPositive();
    Manifest read = reader.manifest(m.id());
    assertThat(read).isEqualTo(m);
    try (InputStream in = reader.open(read)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    // Straight from the chunk buffers, which the stream reuses past the first few chunks.
    var out = new java.io.ByteArrayOutputStream();
    try (InputStream in = reader.open(read)) {
      out.write(in.read()); // one byte first: the transfer starts inside a chunk
      in.transferTo(out);
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void unchangedRegionsCostNothingTheSecondTime() {
    byte[] data = random(24 << 20, 2);
    Manifest first = write(data);
    Manifest same = write(data);
    assertThat(same.uploadedBytes()).isZero();
    data[data.length / 2] ^= 0x55; // one byte in the middle
    Manifest edited = write(data);
    assertThat(edited.uploadedBytes())
        .as("bytes uploaded for a one-byte change")
        .isPositive()
        .isLessThanOrEqualTo(2L * Chunker.MAX);
    assertThat(first.id()).isNotEqualTo(same.id());
  }

  @Test
  void aFailedWriteCommitsNoManifest() {
    InputStream breaks =
        new InputStream() {
          private int left = 6 << 20;

          @Override
          public int read() throws IOException {
            if (left-- <= 0) {
              throw new IOException("tar stream broke");
            }
            return left & 0xff;
          }
        };
    assertThatThrownBy(() -> writer.write(breaks, ORIGIN, List.of(), 0))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("tar stream broke")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.LAYER);
    assertThat(blobs.list("manifests/")).isEmpty();
  }

  @Test
  void eachWayAManifestOrRequestIsWrongHasItsReason() throws IOException {
    Manifest m = write(random(1 << 20, 5));
    String newer =
        new String(blobs.getBytes(Manifest.key(m.id())).orElseThrow(), "UTF-8")
            .replace("\"formatVersion\":1", "\"formatVersion\":99");
    blobs.put(Manifest.key(m.id()), newer.getBytes("UTF-8"));
    assertThatThrownBy(() -> reader.manifest(m.id()))
        .hasMessageContaining("newer than this stepbox reads")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.TOO_NEW);
    blobs.put(Manifest.key(m.id()), "{ not json".getBytes("UTF-8"));
    assertThatThrownBy(() -> reader.manifest(m.id()))
        .hasMessageContaining("cannot be read")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.CORRUPT);
    assertThatThrownBy(() -> ChunkStore.key("not-a-hash"))
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.INVALID_REQUEST);
    GarbageCollector gc = new GarbageCollector(blobs, reader, Clock.systemUTC());
    assertThatThrownBy(() -> gc.collect(java.time.Duration.ofSeconds(-1), List.of(), true))
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.INVALID_REQUEST);
  }

  @Test
  void aMissingSnapshotOrACorruptChunkIsNamed() throws IOException {
    assertThatThrownBy(() -> reader.manifest("s20260101000000-deadbeef"))
        .hasMessageContaining("s20260101000000-deadbeef")
        .hasMessageContaining("does not exist")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.NOT_FOUND);
    Manifest m = write(random(3 << 20, 3));
    String victim = m.chunks().get(1).hash();
    Path file = dir.resolve(ChunkStore.key(victim));
    byte[] stored = Files.readAllBytes(file);
    stored[100] ^= 0x01;
    Files.write(file, stored);
    try (InputStream in = reader.open(m)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(SnapshotException.class)
          .hasMessageContaining(victim);
      // Read on, and it fails the same way: no chunk is ever skipped.
      assertThatThrownBy(in::read).hasMessageContaining(victim);
    }
  }

  @Test
  void manifestJsonRoundTrips() throws IOException {
    Manifest m =
        new Manifest(
            1,
            "s1-x",
            "img",
            "sha256:1",
            null,
            "step",
            List.of(new Manifest.Chunk("ab".repeat(32), 10)),
            List.of("/a b"),
            List.of(new Manifest.Fifo("/w/f", 0640, 7, 8, "2026-11-26T00:00:00.123456789Z")),
            2,
            10,
            10,
            "2026-11-26T00:00:00Z");
    assertThat(json.readValue(json.writeValueAsBytes(m), Manifest.class)).isEqualTo(m);
  }
}
