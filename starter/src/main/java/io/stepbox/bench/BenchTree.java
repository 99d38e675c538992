package io.stepbox.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated tree like a Python site-packages: about 20,000 files in 2,000 directories, mostly
 * small source-like text, a few large binaries, about 300 MiB in all. Deterministic for a seed.
 */
final class BenchTree {
  static final int PACKAGES = 200;
  static final int DIRS_PER_PACKAGE = 10;
  static final int FILES_PER_DIR = 10;
  private static final String[] WORDS = {
    "def ", "return ", "self", ".value", "import ", "class ", "None", "    ", "(", ")", ":\n",
    "if ", "else", " = ", "for ", " in ", "range", "len", "dict", "list", "\n", "# comment ",
  };
  private static final FileTime OLD = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));

  long bytes;
  int files;
  final List<Path> smallFiles = new ArrayList<>();

  /** Writes the tree under {@code root}/workspace/site-packages, all times set in the past. */
  void write(Path root) {
    SplittableRandom random = new SplittableRandom(42);
    byte[] buffer = new byte[1 << 20];
    Path top = root.resolve("workspace/site-packages");
    try {
      List<Path> dirs = new ArrayList<>();
      for (int p = 0; p < PACKAGES; p++) {
        for (int d = 0; d < DIRS_PER_PACKAGE; d++) {
          Path dir = Files.createDirectories(top.resolve("pkg" + p).resolve("mod" + d));
          dirs.add(dir);
          for (int f = 0; f < FILES_PER_DIR; f++) {
            writeFile(dir, f, random, buffer);
          }
        }
      }
      for (Path dir : dirs) {
        Files.setLastModifiedTime(dir, OLD);
        Files.setLastModifiedTime(dir.getParent(), OLD);
      }
      for (Path p = top; !p.equals(root); p = p.getParent()) {
        Files.setLastModifiedTime(p, OLD);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("generating the benchmark tree: " + e.getMessage(), e);
    }
  }

  /** File {@code f} of {@code dir}: one in 400 a large binary, the others source-like text. */
  private void writeFile(Path dir, int f, SplittableRandom random, byte[] buffer)
      throws IOException {
    boolean large = random.nextInt(400) == 0;
    long size = large ? (1L << 20) + random.nextInt(5 << 20) : 200 + random.nextInt(12_000);
    Path file = dir.resolve(large ? "lib" + f + ".so" : "m" + f + ".py");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(left, buffer.length);
        fill(buffer, n, large, random);
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    Files.setLastModifiedTime(file, OLD);
    if (!large) {
      smallFiles.add(file);
    }
    bytes += size;
    files++;
  }

  /** Binaries are half random, half zeros; sources are words from a small vocabulary. */
  private static void fill(byte[] b, int n, boolean binary, SplittableRandom random) {
    if (binary) {
      for (int i = 0; i < n; i++) {
        b[i] = (i & 1024) == 0 ? (byte) random.nextInt() : 0;
      }
      return;
    }
    int i = 0;
    while (i < n) {
      String w = WORDS[random.nextInt(WORDS.length)];
      for (int j = 0; j < w.length() && i < n; j++) {
        b[i++] = (byte) w.charAt(j);
      }
    }
  }
}
