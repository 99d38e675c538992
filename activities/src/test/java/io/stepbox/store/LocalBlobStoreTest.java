package io.stepbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
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

  @AfterEach
  void close() {
    store.close();
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
  void unknownSchemesAreRefused() {
    assertThatThrownBy(() -> BlobStore.open("ftp://x/y"))
        .hasMessageContaining("file:///path")
        .hasMessageContaining("s3://bucket/prefix");
    assertThat(store.url()).startsWith("file:///").endsWith("/blobs/");
  }
}
