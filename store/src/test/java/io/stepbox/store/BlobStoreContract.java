package io.stepbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; each implementation's test runs all of it. */
abstract class BlobStoreContract {

  abstract BlobStore store();

  @AfterEach
  void closeStore() {
    store().close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String read(BlobStore store, String key) throws IOException {
    try (InputStream in = store.get(key).orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void putGetExistsListDelete() throws IOException {
    BlobStore s = store();
    assertThat(s.exists("chunks/ab/abc")).isFalse();
    assertThat(s.get("chunks/ab/abc")).isEmpty();
    assertThat(s.getBytes("chunks/ab/abc")).isEmpty();
    s.put("chunks/ab/abc", bytes("one"));
    s.put("chunks/cd/cde", bytes("three"));
    s.put("manifests/m1.json", bytes("{}"));
    assertThat(s.exists("chunks/ab/abc")).isTrue();
    assertThat(read(s, "chunks/ab/abc")).isEqualTo("one");
    assertThat(s.getBytes("chunks/ab/abc")).hasValue(bytes("one"));
    assertThat(s.list("chunks/"))
        .extracting(BlobInfo::key, BlobInfo::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("chunks/ab/abc", 3L),
            org.assertj.core.groups.Tuple.tuple("chunks/cd/cde", 5L));
    s.put("chunks/ab/abc", bytes("replaced"));
    assertThat(read(s, "chunks/ab/abc")).isEqualTo("replaced");
    s.delete("chunks/ab/abc");
    s.delete("chunks/ab/abc");
    assertThat(s.exists("chunks/ab/abc")).isFalse();
    assertThat(s.list(""))
        .extracting(BlobInfo::key)
        .containsExactly("chunks/cd/cde", "manifests/m1.json");
  }

  @Test
  void aFailedPutLeavesNothingVisible() {
    BlobStore s = store();
    InputStream failing =
        new InputStream() {
          private int left = 100_000;

          @Override
          public int read() throws IOException {
            if (left-- <= 0) {
              throw new IOException("source broke");
            }
            return 'x';
          }
        };
    assertThatThrownBy(() -> s.put("half/written", failing, 200_000))
        .isInstanceOf(BlobStoreException.class)
        .hasMessageContaining("half/written");
    assertThat(s.exists("half/written")).isFalse();
    assertThat(s.list("half")).isEmpty();
  }

  @Test
  void aShortStreamIsRefused() {
    BlobStore s = store();
    assertThatThrownBy(() -> s.put("short", new ByteArrayInputStream(bytes("abc")), 10))
        .isInstanceOf(BlobStoreException.class)
        .hasMessageContaining("short");
    assertThat(s.exists("short")).isFalse();
  }

  @Test
  void largeObjectsRoundTrip() throws Exception {
    BlobStore s = store();
    byte[] big = new byte[S3BlobStore.PART_SIZE * 2 + 12345];
    new Random(7).nextBytes(big);
    s.put("big/object", new ByteArrayInputStream(big), big.length);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    try (InputStream in = s.get("big/object").orElseThrow()) {
      got.update(in.readAllBytes());
    }
    assertThat(got.digest()).isEqualTo(sent.digest(big));
    assertThat(s.list("big/"))
        .singleElement()
        .extracting(BlobInfo::size)
        .isEqualTo((long) big.length);
  }

  @Test
  void badKeysAreRefusedWithTheRule() {
    BlobStore s = store();
    for (String key : new String[] {"", "/abs", "a/../b", "a//b", "dir/", "sp ace"}) {
      assertThatThrownBy(() -> s.put(key, bytes("x")))
          .as(key)
          .isInstanceOf(BlobStoreException.class)
          .hasMessageContaining("key '" + key + "'");
    }
  }
}
