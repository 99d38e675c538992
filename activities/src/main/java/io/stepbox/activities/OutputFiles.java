package io.stepbox.activities;

import io.stepbox.sandbox.OutputListener;
import io.stepbox.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Spools a step's stdout and stderr to temporary files, each up to a byte limit, while the command
 * runs, then stores them in the blob store (the claim check): history carries only tails and keys.
 */
final class OutputFiles implements OutputListener, AutoCloseable {
  private final Path dir;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final long limit;
  private long stdoutKept;
  private long stderrKept;

  /** Where a worker spools: its id in the name, so that its next run can remove what it left. */
  static String prefix(String workerId) {
    return "stepbox-output-" + StepActivitiesImpl.safe(workerId) + "-";
  }

  /**
   * Removes the spool directories an earlier run of this worker id left in the temporary directory
   * (a killed worker cannot); returns how many.
   */
  static int removeStale(String workerId) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    int removed = 0;
    try (var dirs = Files.newDirectoryStream(tmp, prefix(workerId) + "*")) {
      for (Path d : dirs) {
        try (var files = Files.list(d)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(d);
        removed++;
      }
    } catch (IOException e) {
      // Best effort: a leftover spool is small and harmless.
    }
    return removed;
  }

  OutputFiles(long limit, String workerId) {
    this.limit = limit;
    try {
      dir = Files.createTempDirectory(prefix(workerId));
      stdout = Files.newOutputStream(dir.resolve("stdout"));
      stderr = Files.newOutputStream(dir.resolve("stderr"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool step output: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void onOutput(Stream stream, byte[] data, int offset, int length) {
    try {
      if (stream == Stream.STDOUT) {
        int n = (int) Math.max(0, Math.min(length, limit - stdoutKept));
        stdout.write(data, offset, n);
        stdoutKept += n;
      } else {
        int n = (int) Math.max(0, Math.min(length, limit - stderrKept));
        stderr.write(data, offset, n);
        stderrKept += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stores both streams under {@code prefix}/stdout and {@code prefix}/stderr. */
  synchronized void store(BlobStore blobs, String prefix) {
    try {
      stdout.close();
      stderr.close();
      for (String name : new String[] {"stdout", "stderr"}) {
        Path file = dir.resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
          blobs.put(prefix + "/" + name, in, Files.size(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("storing step output: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      stdout.close();
      stderr.close();
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A temporary directory left behind is not worth failing a step for.
    }
  }
}
