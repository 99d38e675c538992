package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final int MIN = 2 << 10;
  private static final int AVG = 8 << 10;
  private static final int MAX = 32 << 10;

  private static List<byte[]> chunks(byte[] data) throws IOException {
    Chunker c = new Chunker(new ByteArrayInputStream(data), MIN, AVG, MAX);
    List<byte[]> out = new ArrayList<>();
    for (byte[] chunk = c.next(); chunk != null; chunk = c.next()) {
      out.add(chunk);
    }
    return out;
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void chunksReassembleToTheInputWithinBounds() throws IOException {
    byte[] data = random(1 << 20, 1);
    List<byte[]> chunks = chunks(data);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < chunks.size(); i++) {
      joined.write(chunks.get(i));
      if (i < chunks.size() - 1) {
        assertThat(chunks.get(i).length).isBetween(MIN, MAX);
      }
    }
    assertThat(joined.toByteArray()).isEqualTo(data);
    double average = (double) data.length / chunks.size();
    assertThat(average).as("average chunk size").isBetween(AVG / 2.0, AVG * 2.0);
  }

  @Test
  void anInsertionOrDeletionOfWholeBlocksChangesOnlyTheChunksAroundIt() throws IOException {
    // A tar stream changes in 512-byte blocks: a file grows or shrinks, an entry comes or goes.
    byte[] data = random(1 << 20, 2);
    Set<String> before = hashes(chunks(data));
    int at = data.length / 2;
    for (byte[] edited :
        List.of(splice(data, at, 0, random(512, 3)), splice(data, at, 1024, new byte[0]))) {
      List<byte[]> after = chunks(edited);
      long changed = after.stream().filter(c -> !before.contains(ChunkStore.sha256(c))).count();
      assertThat(changed).as("new chunks out of " + after.size()).isBetween(1L, 3L);
    }
  }

  @Test
  void aRunOfZerosIsCutAtTheMaximum() throws IOException {
    // The hash of a long run of one word settles on one value; for zeros (sparse files, tar's
    // padding and end) that value must not match, or every run would be cut into minimum chunks.
    byte[] data = new byte[10 * MAX];
    assertThat(chunks(data)).allSatisfy(c -> assertThat(c.length).isEqualTo(MAX));
    assertThat(new Chunker(new ByteArrayInputStream(new byte[Chunker.MAX * 3])).next())
        .hasSize(Chunker.MAX);
  }

  @Test
  void cutsFallOnWholeWordsFromTheStart() throws IOException {
    byte[] data = random(1 << 20, 5);
    long at = 0;
    List<byte[]> chunks = chunks(data);
    for (byte[] c : chunks.subList(0, chunks.size() - 1)) {
      at += c.length;
      assertThat(at % Chunker.WORD).as("cut at " + at).isZero();
    }
  }

  private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
    byte[] out = new byte[data.length - remove + insert.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(data, at + remove, out, at + insert.length, data.length - at - remove);
    return out;
  }

  @Test
  void shortReadsAndEmptyStreamsAreHandled() throws IOException {
    byte[] data = random(100_000, 4);
    InputStream trickle =
        new InputStream() {
          private int pos;

          @Override
          public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 7)); // at most 7 bytes per call
          }
        };
    Chunker c = new Chunker(trickle, MIN, AVG, MAX);
    List<byte[]> got = new ArrayList<>();
    for (byte[] chunk = c.next(); chunk != null; chunk = c.next()) {
      got.add(chunk);
    }
    assertThat(hashes(got)).isEqualTo(hashes(chunks(data)));
    assertThat(new Chunker(new ByteArrayInputStream(new byte[0])).next()).isNull();
  }

  @Test
  void cutPointsStayWhereTheyWere() throws IOException {
    // Stored snapshots dedupe against new ones only while the same bytes are cut the same way:
    // a faster loop must find exactly these cuts.
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    byte[] data = new byte[3 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 3 == 0 ? random.nextInt() : i / 1000);
    }
    assertThat(chunks(data).stream().limit(12).map(c -> c.length))
        .containsExactly(
            6088, 11344, 9080, 8256, 7120, 11624, 12448, 14224, 8768, 8288, 8248, 9200);
  }

  @Test
  void refusesNonsenseSizes() {
    assertThatThrownBy(() -> new Chunker(InputStream.nullInputStream(), 10, 1000, 5000))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> new Chunker(InputStream.nullInputStream(), 2048, 1024, 4096))
        .hasMessageContaining("min <= avg <= max");
    assertThatThrownBy(() -> new Chunker(InputStream.nullInputStream(), 1001, 1024, 4096))
        .hasMessageContaining("multiples of 8");
  }

  private static Set<String> hashes(List<byte[]> chunks) {
    Set<String> out = new HashSet<>();
    chunks.forEach(c -> out.add(ChunkStore.sha256(c)));
    return out;
  }
}
