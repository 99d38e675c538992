package io.stepbox.snapshot;

import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot suite against the local-directory store. */
class LocalSnapshotIT extends SnapshotEngineContract {
  @TempDir Path dir;
  private BlobStore store;

  @Override
  BlobStore store() {
    if (store == null) {
      store = new LocalBlobStore(dir.resolve("blobs"));
    }
    return store;
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
