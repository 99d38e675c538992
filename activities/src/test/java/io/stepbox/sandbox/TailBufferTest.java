package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(TailBuffer t) {
    return new String(t.toByteArray(), StandardCharsets.US_ASCII);
  }

  @Test
  void keepsEverythingBelowCapacity() {
    TailBuffer t = new TailBuffer(8);
    t.write(b("abc"), 0, 3);
    t.write(b("de"), 0, 2);
    assertThat(text(t)).isEqualTo("abcde");
    assertThat(t.total()).isEqualTo(5);
  }

  @Test
  void keepsTheLastBytesAcrossWrapAround() {
    TailBuffer t = new TailBuffer(5);
    for (String chunk : new String[] {"abc", "defg", "h", "ijklm", "no"}) {
      t.write(b(chunk), 0, chunk.length());
    }
    assertThat(text(t)).isEqualTo("klmno");
    assertThat(t.total()).isEqualTo(15);
  }

  @Test
  void aWriteLargerThanCapacityKeepsItsTail() {
    TailBuffer t = new TailBuffer(4);
    t.write(b("xx"), 0, 2);
    t.write(b("0123456789"), 2, 8);
    assertThat(text(t)).isEqualTo("6789");
    assertThat(t.total()).isEqualTo(10);
  }

  @Test
  void zeroCapacityOnlyCounts() {
    TailBuffer t = new TailBuffer(0);
    t.write(b("abc"), 0, 3);
    assertThat(t.toByteArray()).isEmpty();
    assertThat(t.total()).isEqualTo(3);
  }

  @Test
  void growsWithWhatIsWrittenAndWrapsOnlyAtCapacity() {
    int cap = 100_000;
    TailBuffer t = new TailBuffer(cap);
    assertThat(t.allocated()).isLessThan(cap);
    StringBuilder all = new StringBuilder();
    java.util.Random random = new java.util.Random(1);
    while (all.length() < 3 * cap) {
      byte[] piece = new byte[1 + random.nextInt(30_000)];
      for (int i = 0; i < piece.length; i++) {
        piece[i] = (byte) ('a' + random.nextInt(26));
      }
      t.write(piece, 0, piece.length);
      all.append(new String(piece, StandardCharsets.US_ASCII));
      String tail = all.substring(Math.max(0, all.length() - cap));
      assertThat(text(t)).isEqualTo(tail);
    }
    assertThat(t.allocated()).isEqualTo(cap);
    assertThat(t.total()).isEqualTo(all.length());
  }
}
