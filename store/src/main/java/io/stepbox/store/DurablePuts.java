package io.stepbox.store;

import static io.stepbox.store.LocalFiles.create;
import static io.stepbox.store.LocalFiles.deleteQuietly;
import static io.stepbox.store.LocalFiles.move;
import static io.stepbox.store.LocalFiles.syncDirectory;
import static io.stepbox.store.LocalFiles.tmpBeside;

import io.stepbox.store.LocalFiles.Content;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The puts of {@link LocalBlobStore} below {@code root}: a temporary file written beside the
 * key's, then synced, renamed into place and its directory synced. Thread-safe.
 */
final class DurablePuts {
  private final Path root;

  /** Directories whose own name and those above it up to the root are known to be durable. */
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  DurablePuts(Path root) {
    this.root = root;
  }

  /** {@code dir} was removed: made again, it is synced into its parent again. */
  void forget(Path dir) {
    durableDirs.remove(dir);
  }

  /**
   * Syncs a written temporary file, renames it into place (removing it if that fails) and syncs the
   * directory, which makes the new name durable.
   */
  void publish(String key, Path tmp, Path target) {
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
    try {
      syncNames(target.getParent());
    } catch (IOException e) {
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
  }

  /**
   * Makes the names in {@code dir} durable, and the first time in this process, the names of the
   * directories above it up to the root too (a directory made by a put, this one or another in
   * progress, is then durable before this put returns).
   */
  private void syncNames(Path dir) throws IOException {
    syncDirectory(dir);
    if (!durableDirs.contains(dir)) {
      for (Path d = dir; !d.equals(root); d = d.getParent()) {
        syncDirectory(d.getParent());
      }
      durableDirs.add(dir);
    }
  }

  /** Writes {@code content} to a new temporary file beside {@code target}, not yet synced. */
  Path write(String key, Path target, Content content) {
    Path tmp = tmpBeside(target);
    boolean written = false;
    try (FileChannel channel = create(tmp)) {
      try {
        content.writeTo(channel);
        written = true;
      } finally {
        if (!written) {
          deleteQuietly(tmp);
        }
      }
    } catch (IOException e) {
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
    return tmp;
  }
}
