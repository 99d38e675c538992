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
  void unknownSchemesAreRefused() {
    assertThatThrownBy(() -> BlobStore.open("ftp://x/y"))
        .hasMessageContaining("file:///path")
        .hasMessageContaining("s3://bucket/prefix");
    assertThat(store.url()).startsWith("file:///").endsWith("/blobs/");
  }
}
