package io.stepbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob store contract against a real SeaweedFS S3 server that this test starts and stops. */
class S3BlobStoreIT extends BlobStoreContract {
  @TempDir static Path dir;
  static SeaweedFs seaweed;
  private S3Client client;
  private BlobStore store;

  static final String BUCKET = "stepbox-it";

  @BeforeAll
  static void startSeaweed() throws Exception {
    seaweed = new SeaweedFs(dir).start();
    try (S3Client s3 = seaweed.client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stopSeaweed() throws Exception {
    seaweed.close();
  }

  @BeforeEach
  void bucket() {
    // One bucket (each SeaweedFS bucket takes volumes of its own); a fresh prefix per test.
    client = seaweed.client();
    store = new S3BlobStore(client, BUCKET, "test-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  BlobStore store() {
    return store;
  }

  @Test
  void aStoppedServerIsARetryableErrorAndAPutAfterRestartSucceeds() throws Exception {
    store.put("before", bytes("kept"));
    seaweed.stop();
    assertThatThrownBy(() -> store.put("during", bytes("lost")))
        .isInstanceOf(BlobStoreException.class)
        .hasMessageContaining("during")
        .hasMessageContaining("reachable")
        .extracting(e -> ((BlobStoreException) e).retryable())
        .isEqualTo(true);
    seaweed.start();
    store.put("during", bytes("now"));
    assertThat(read(store, "during")).isEqualTo("now");
    assertThat(read(store, "before")).isEqualTo("kept");
  }
}
