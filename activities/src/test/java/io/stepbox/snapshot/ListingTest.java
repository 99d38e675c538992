package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {
  @TempDir Path dir;

  @Test
  void aChangeShowsInTheStatAndAFreshChangeCountsAsChangedOnce() throws IOException {
    Files.writeString(dir.resolve("f"), "one");
    Files.createDirectories(dir.resolve("mnt/inner"));
    Listing racy = Listing.of(dir, Set.of("/mnt"), Duration.ofSeconds(1));
    Listing calm = Listing.of(dir, Set.of("/mnt"), Duration.ZERO);
    // Like tar --exclude: a mount target and what lies under it are not part of the layer.
    assertThat(racy.entries()).containsOnlyKeys("/", "/f");

    Listing again = Listing.of(dir, Set.of("/mnt"), Duration.ZERO);
    // Written a moment before the first listing: it could change again unseen within that tick.
    assertThat(again.unchangedSince(racy, "/f")).isFalse();
    assertThat(again.unchangedSince(calm, "/f")).isTrue();

    Files.writeString(dir.resolve("f"), "two");
    Listing after = Listing.of(dir, Set.of("/mnt"), Duration.ZERO);
    assertThat(after.unchangedSince(calm, "/f")).isFalse();
    assertThat(after.unchangedSince(calm, "/gone")).isFalse();
  }

  @Test
  void tarOrderIsTheOrderTarWritesInWithSortByName() throws Exception {
    for (String p :
        List.of("a/b/c", "a.c/x", "a-b/y", "a b/z", "ü/1", "B/2", "a0/3", "z/4", "a/b.d/5")) {
      Files.createDirectories(dir.resolve(p).getParent());
      Files.writeString(dir.resolve(p), p);
    }
    Process tar =
        new ProcessBuilder("tar", "-c", "--sort=name", "-C", dir.toString(), "-f", "-", ".")
            .start();
    Process list = new ProcessBuilder("tar", "-t").start();
    try (var in = tar.getInputStream();
        var out = list.getOutputStream()) {
      in.transferTo(out);
    }
    List<String> expected = new ArrayList<>();
    for (String line :
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      String p = line.substring(1);
      expected.add(p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    }
    Listing listing = Listing.of(dir, Set.of(), Duration.ZERO);
    assertThat(LayerFeed.tarOrder(listing.entries().keySet())).isEqualTo(expected);
  }
}
