package io.stepbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary directories, shell commands and elapsed time, as the benchmarks use them. */
final class BenchIo {
  private BenchIo() {}

  /** A new temporary directory named {@code prefix...}; the caller removes it. */
  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Milliseconds since {@code t0}, a {@link System#nanoTime()} reading. */
  static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Runs {@code line} with {@code sh -c}, its output on ours; fails unless it exits 0. */
  static void shell(String line) {
    try {
      Process p = new ProcessBuilder("sh", "-c", line).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("benchmark command failed: " + line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
