package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

  @Test
  void fifosAreFoundWithGnuFindAndAmongThousandsOfChangedDirectories() {
    // Debian's find and stat are GNU's, and GNU stat cannot read gVisor's in-memory fifos. The
    // names of 3,000 changed directories are more than go as arguments to the scan.
    Sandbox s = sandboxes.runtime.create(SandboxSpec.newBuilder("stepbox/python:bookworm").build());
    sh(s, "mkdir /w && mkfifo -m 620 /root/first");
    assertThat(engine.capture(s, null, "few").fifos())
        .extracting(Manifest.Fifo::path, Manifest.Fifo::mode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/root/first", 0620));

    String dir = "/w/a-directory-with-a-name-long-enough-to-count-";
    sh(s, "mkdir $(seq -f '" + dir + "%g' 1 3000) && mkfifo " + dir + "2999/late");
    assertThat(3000 * dir.length()).isGreaterThan(SpecialFiles.ARGUMENT_BYTES);
    assertThat(engine.capture(s, null, "many").fifos())
        .extracting(Manifest.Fifo::path)
        .containsExactlyInAnyOrder("/root/first", dir + "2999/late");
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
