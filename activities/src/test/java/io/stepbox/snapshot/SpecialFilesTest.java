package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.ExecRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpecialFilesTest {
  @Test
  void fewDirectoriesGoAsArgumentsWithoutStdin() {
    ExecRequest r = SpecialFiles.scanRequest(List.of("/w", "/w/ä b"));
    assertThat(r.command()).startsWith("/bin/sh", "-c").endsWith("scan", "/w", "/w/ä b");
    assertThat(r.stdin()).isNull();
  }

  @Test
  void manyDirectoriesGoOnStdinSeparatedByNul() {
    List<String> dirs =
        IntStream.range(0, 3000).mapToObj(i -> "/workspace/some/directory/" + i).toList();
    ExecRequest r = SpecialFiles.scanRequest(dirs);
    assertThat(r.command()).hasSize(4).doesNotContain(dirs.get(0));
    assertThat(new String(r.stdin(), StandardCharsets.UTF_8))
        .isEqualTo(String.join("\0", dirs) + "\0");
  }

  @Test
  void readsTheTimesOfGnuFindAndBusyboxStat() {
    assertThat(SpecialFiles.time("1795796150.5365431470"))
        .isEqualTo(Instant.parse("2026-11-27T16:15:50.536543147Z"));
    assertThat(SpecialFiles.time("2026-11-27 16:15:49.777008186 +0000"))
        .isEqualTo(Instant.parse("2026-11-27T16:15:49.777008186Z"));
    assertThat(SpecialFiles.time("2002-03-04 05:06:07 +0100"))
        .isEqualTo(Instant.parse("2002-03-04T04:06:07Z"));
  }
}
