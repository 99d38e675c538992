package io.stepbox.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The file operations {@link LocalBlobStore} builds its writes from. */
final class LocalFiles {
  static final String TMP_PREFIX = ".tmp-";

  private LocalFiles() {}

  /** What a put writes into its temporary file. */
  interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Writes all of {@code buffer}'s remaining bytes. */
  static void writeAll(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** A name of our own: createTempFile draws from SecureRandom, a cost per chunk. */
  static Path tmpBeside(Path target) {
    return target.resolveSibling(
        TMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /**
   * Creates {@code file}, and the directories above it when they are missing (made durable when the
   * file is published).
   */
  static FileChannel create(Path file, OpenOption... extra) throws IOException {
    Set<OpenOption> options =
        new HashSet<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    options.addAll(List.of(extra));
    try {
      return FileChannel.open(file, options);
    } catch (NoSuchFileException e) {
      Files.createDirectories(file.getParent());
      return FileChannel.open(file, options);
    }
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically", e);
    }
  }

  /** Makes the names in {@code dir} durable (fsync of the directory). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover .tmp- file is never listed and is overwritten by nothing: harmless.
    }
  }
}
