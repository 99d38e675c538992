package io.stepbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;
  private BlobStore store;

  @BeforeEach
  void open() {
    store = BlobStore.open(dir.resolve("blobs").toUri().toString());
  }

  @Override
  BlobStore store() {
    return store;
  }

  @Test
  void leavesNoTemporaryFileAfterAFailedPut() throws Exception {
    aFailedPutLeavesNothingVisible();
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void aStagedObjectIsInvisibleUntilCommittedAndLeavesNothingWhenAborted() throws Exception {
    byte[] data = "..kept..".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    BlobStore.Staged kept = store.stage("chunks/ke/kept", data, 2, 4);
    BlobStore.Staged dropped = store.stage("chunks/dr/dropped", data, 0, 8);
    data[2] = 'X'; // the array is the caller's again once stage returns
    assertThat(store.list("chunks/")).isEmpty();
    assertThat(store.stat("chunks/ke/kept")).isEmpty();

    kept.commit();
    dropped.abort();
    assertThat(store.list("chunks/")).extracting(BlobInfo::key).containsExactly("chunks/ke/kept");
    try (var in = store.get("chunks/ke/kept").orElseThrow()) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("kept");
    }
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactly("kept");
    }
  }

  @Test
  void moreObjectsStagedThanAlignedBuffersAreStillWrittenWhole() throws Exception {
    // Staged objects hold an aligned buffer each until committed, 8 in the process: the ones past
    // that wait a second for one, then are written through the page cache right away.
    int free = LocalBlobStore.alignedBuffersFree();
    var random = new java.util.Random(7);
    java.util.List<byte[]> contents = new java.util.ArrayList<>();
    java.util.List<BlobStore.Staged> staged = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] data = new byte[100_000 + i * 4099];
      random.nextBytes(data);
      contents.add(data.clone());
      staged.add(store.stage("chunks/st/" + i, data, 0, data.length));
      java.util.Arrays.fill(data, (byte) 0); // the caller's again
    }
    staged.forEach(BlobStore.Staged::commit);
    for (int i = 0; i < 10; i++) {
      assertThat(store.getBytes("chunks/st/" + i).orElseThrow())
          .as("object " + i)
          .isEqualTo(contents.get(i));
    }
    // Every buffer came back, from commits and from aborts alike.
    assertThat(LocalBlobStore.alignedBuffersFree()).isEqualTo(free);
    BlobStore.Staged dropped = store.stage("chunks/ab/x", new byte[] {1}, 0, 1);
    assertThat(LocalBlobStore.alignedBuffersFree()).isEqualTo(free - 1);
    dropped.abort();
    dropped.abort();
    assertThat(LocalBlobStore.alignedBuffersFree()).isEqualTo(free);
    assertThat(store.list("chunks/ab/")).isEmpty();
  }

  @Test
  void unknownSchemesAreRefused() {
    assertThatThrownBy(() -> BlobStore.open("ftp://x/y"))
        .hasMessageContaining("file:///path")
        .hasMessageContaining("s3://bucket/prefix");
    assertThat(store.url()).startsWith("file:///").endsWith("/blobs/");
  }
}
