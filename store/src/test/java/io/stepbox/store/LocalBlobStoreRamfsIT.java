package io.stepbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store on a file system that refuses writes past the page cache (ramfs refuses O_DIRECT
 * when a file is opened, with "Invalid argument"): every object still gets written whole, through
 * the page cache, and the whole contract holds. Mounting ramfs needs root, as the rest of the
 * integration tests do.
 */
class LocalBlobStoreRamfsIT extends BlobStoreContract {
  @TempDir static Path mountPoint;
  private Path root;
  private LocalBlobStore store;

  @BeforeAll
  static void mountRamfs() throws Exception {
    run("mount", "-t", "ramfs", "-o", "mode=0700", "stepbox-test-ramfs", mountPoint.toString());
  }

  @AfterAll
  static void unmount() throws Exception {
    run("umount", mountPoint.toString());
  }

  @BeforeEach
  void open() throws IOException {
    root = Files.createTempDirectory(mountPoint, "blobs-");
    store = new LocalBlobStore(root);
  }

  @Override
  BlobStore store() {
    return store;
  }

  @Test
  void objectsAreWrittenThroughThePageCacheWhereTheFileSystemRefusesToBypassIt() throws Exception {
    // The premise, so that this test cannot pass without the refusal happening.
    Path probe = mountPoint.resolve("probe");
    assertThatThrownBy(
            () ->
                FileChannel.open(
                        probe,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        ExtendedOpenOption.DIRECT)
                    .close())
        .isInstanceOf(IOException.class);
    Files.deleteIfExists(probe);

    int free = LocalBlobStore.alignedBuffersFree();
    assertThat(store.writesPastThePageCache()).isTrue();
    byte[] first = new byte[(1 << 20) + 123];
    new Random(3).nextBytes(first);
    byte[] firstCopy = first.clone();
    BlobStore.Staged staged = store.stage("chunks/ab/first", first, 0, first.length);
    java.util.Arrays.fill(first, (byte) 0); // the caller's again once stage returns
    staged.commit();
    assertThat(store.getBytes("chunks/ab/first")).hasValue(firstCopy);
    assertThat(store.writesPastThePageCache()).isFalse();
    assertThat(LocalBlobStore.alignedBuffersFree()).isEqualTo(free);

    // From then on, objects go straight to a temporary file: no aligned buffer is held.
    byte[] second = new byte[5000];
    new Random(4).nextBytes(second);
    BlobStore.Staged next = store.stage("chunks/cd/second", second, 0, second.length);
    assertThat(LocalBlobStore.alignedBuffersFree()).isEqualTo(free);
    assertThat(store.stat("chunks/cd/second")).isEmpty();
    next.commit();
    assertThat(store.getBytes("chunks/cd/second")).hasValue(second);

    // Nothing but the two objects: no temporary file from the refused open is left behind.
    try (var files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("first", "second");
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
