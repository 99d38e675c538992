package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.store.BlobStore;
import io.stepbox.store.S3BlobStore;
import io.stepbox.store.SeaweedFs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot suite against a real SeaweedFS S3 server that this test starts and stops. */
class S3SnapshotIT extends SnapshotEngineContract {
  static final String BUCKET = "stepbox-snapshots";
  @TempDir static Path dir;
  static SeaweedFs seaweed;
  private BlobStore store;

  @BeforeAll
  static void startSeaweed() throws Exception {
    seaweed = new SeaweedFs(dir).start();
    try (var s3 = seaweed.client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stopSeaweed() throws Exception {
    seaweed.close();
  }

  @Override
  BlobStore store() {
    if (store == null) {
      String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
      store = new S3BlobStore(seaweed.client(), BUCKET, prefix);
    }
    return store;
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void theServerStoppingMidUploadFailsCleanlyAndARetryAfterItIsBackSucceeds() throws Exception {
    Sandbox s = busybox();
    sh(s, "mkdir /w && for i in $(seq 1 12); do head -c 10485760 /dev/urandom > /w/f$i; done");
    CompletableFuture<Manifest> capture =
        CompletableFuture.supplyAsync(() -> engine.capture(s, null, "mid-upload"));
    while (store().list("chunks/").isEmpty() && !capture.isDone()) {
      Thread.sleep(20); // polling the store for the first chunk
    }
    seaweed.stop();
    assertThatThrownBy(capture::join)
        .hasCauseInstanceOf(SnapshotException.class)
        .hasMessageContaining("storing a chunk failed");

    seaweed.start();
    assertThat(store().list("manifests/")).isEmpty();
    Manifest retried = engine.capture(s, null, "mid-upload");
    assertThat(engine.list()).extracting(Manifest::id).containsExactly(retried.id());
    assertThat(engine.verify(retried.id())).isEmpty();
    assertThat(engine.gc(Duration.ofHours(1), java.util.List.of(), true).chunksRemoved()).isZero();
  }
}
