package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
  @TempDir Path dir;

  @Test
  void storesOnceAndReadsBackVerified() {
    BlobStore blobs = new LocalBlobStore(dir);
    ChunkStore chunks = new ChunkStore(blobs);
    byte[] data = "hello hello hello hello hello".repeat(1000).getBytes(StandardCharsets.UTF_8);
    ChunkStore.Stored first = chunks.put(data);
    ChunkStore.Stored again = chunks.put(data);
    assertThat(first.uploadedBytes()).isPositive().isLessThan(data.length / 10);
    assertThat(again.uploadedBytes()).isZero();
    assertThat(again.hash()).isEqualTo(first.hash()).isEqualTo(ChunkStore.sha256(data));
    assertThat(blobs.list("chunks/"))
        .singleElement()
        .satisfies(
            b ->
                assertThat(b.key())
                    .isEqualTo("chunks/" + first.hash().substring(0, 2) + "/" + first.hash()));
    assertThat(chunks.get(first.hash())).isEqualTo(data);
  }

  @Test
  void aFlippedByteOrAMissingChunkIsNamed() throws Exception {
    ChunkStore chunks = new ChunkStore(new LocalBlobStore(dir));
    byte[] data = new byte[100_000];
    new java.util.Random(9).nextBytes(data);
    String hash = chunks.put(data).hash();
    Path file = dir.resolve(ChunkStore.key(hash));
    byte[] stored = Files.readAllBytes(file);
    stored[stored.length / 2] ^= 0x01;
    Files.write(file, stored);
    assertThatThrownBy(() -> chunks.get(hash))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining(hash)
        .hasMessageContaining("corrupt")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.CORRUPT);
    Files.delete(file);
    assertThatThrownBy(() -> chunks.get(hash))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining(hash)
        .hasMessageContaining("missing")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.CORRUPT);
  }

  @Test
  void aFrameClaimingGigabytesIsRefusedBeforeAnythingIsAllocated() {
    BlobStore blobs = new LocalBlobStore(dir);
    // A zstd frame header (single segment, 8-byte content size) claiming 1 GiB, then an empty
    // last block.
    java.nio.ByteBuffer frame =
        java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    frame.putInt(0xFD2FB528).put((byte) 0xE0).putLong(1L << 30).put(new byte[] {1, 0, 0});
    String hash = "ab".repeat(32);
    blobs.put(ChunkStore.key(hash), java.util.Arrays.copyOf(frame.array(), frame.position()));
    assertThat(com.github.luben.zstd.Zstd.getFrameContentSize(frame.array())).isEqualTo(1L << 30);
    assertThatThrownBy(() -> new ChunkStore(blobs).get(hash))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining(hash)
        .hasMessageContaining("claims 1073741824 bytes")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.CORRUPT);
  }
}
