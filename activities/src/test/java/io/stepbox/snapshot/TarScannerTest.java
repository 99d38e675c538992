package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarScannerTest {
  @TempDir Path upper;
  private byte[] tar;

  /** A real layer stream: sizes around block bounds, pax headers for long names, links. */
  @BeforeEach
  void writeLayer() throws IOException {
    Random random = new Random(5);
    Path dir = Files.createDirectories(upper.resolve("a/b"));
    for (int size : new int[] {0, 1, 511, 512, 513, 10_000, 70_000}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Files.write(dir.resolve("f" + size), data);
    }
    Files.writeString(upper.resolve("n".repeat(200)), "a name longer than a ustar header holds");
    Files.createSymbolicLink(upper.resolve("link"), Path.of("a/b/f1"));
    Files.createLink(upper.resolve("hard"), dir.resolve("f513"));
    LayerTar.Capture capture = LayerTar.capture(upper, List.of());
    tar = capture.stream().readAllBytes();
    capture.finish();
  }

  @Test
  void findsTheSameEntriesHoweverTheStreamIsCutIntoReads() throws IOException {
    Scan whole = scan(new ByteArrayInputStream(tar), 1 << 20);
    assertThat(whole.entries)
        .extracting(TarScanner.Entry::path)
        .contains("/a/b/f0", "/a/b/f70000", "/" + "n".repeat(200), "/link", "/hard");
    assertThat(whole.entries).allSatisfy(e -> assertThat(e.offset() % 512).isZero());
    // What passes is the stream up to its end-of-archive blocks, which stay behind.
    assertThat(whole.passed).isEqualTo(Arrays.copyOf(tar, whole.passed.length));
    assertThat(Arrays.copyOfRange(tar, whole.passed.length, tar.length)).containsOnly(0);
    assertThat(whole.position).isEqualTo(whole.passed.length);

    for (int step : new int[] {1, 7, 100, 511, 512, 513, 4096, 10_240}) {
      Scan cut = scan(trickle(tar, step), step * 3 + 1);
      assertThat(cut.passed).as("reads of %d", step).isEqualTo(whole.passed);
      assertThat(cut.entries).as("reads of %d", step).isEqualTo(whole.entries);
    }
  }

  @Test
  void aStreamCutShortIsAnError() {
    int header = (int) firstEntryWithData().offset();
    assertThatThrownBy(() -> scan(new ByteArrayInputStream(Arrays.copyOf(tar, header + 100)), 64))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("inside a header");
    assertThatThrownBy(() -> scan(new ByteArrayInputStream(Arrays.copyOf(tar, header + 700)), 64))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("inside an entry");
  }

  private TarScanner.Entry firstEntryWithData() {
    try {
      List<TarScanner.Entry> entries = scan(new ByteArrayInputStream(tar), 4096).entries;
      return entries.stream().filter(e -> e.path().equals("/a/b/f70000")).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private record Scan(byte[] passed, List<TarScanner.Entry> entries, long position) {}

  private static Scan scan(InputStream in, int readSize) throws IOException {
    TarScanner scanner = new TarScanner(in);
    ByteArrayOutputStream passed = new ByteArrayOutputStream();
    byte[] buffer = new byte[readSize];
    for (int n = scanner.read(buffer); n >= 0; n = scanner.read(buffer)) {
      passed.write(buffer, 0, n);
    }
    return new Scan(passed.toByteArray(), scanner.entryList(), scanner.position());
  }

  /** A stream that gives at most {@code step} bytes a read. */
  private static InputStream trickle(byte[] data, int step) {
    return new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }
}
