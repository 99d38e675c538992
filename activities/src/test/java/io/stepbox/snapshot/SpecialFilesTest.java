package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpecialFilesTest {
  @Test
  void fewDirectoriesGoInOneRequest() {
    assertThat(SpecialFiles.batches(List.of("/w", "/w/ä b"))).containsExactly(List.of("/w", "/w/ä b"));
    assertThat(SpecialFiles.batches(List.of())).containsExactly(List.of());
  }

  @Test
  void manyDirectoriesAreCutIntoRequestsOfBoundedSize() {
    List<String> dirs = IntStream.range(0, 5000).mapToObj(i -> "/w/directory-" + i).toList();
    List<List<String>> batches = SpecialFiles.batches(dirs);
    assertThat(batches).hasSizeGreaterThan(1);
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(dirs);
    for (List<String> b : batches) {
      assertThat(b.stream().mapToInt(d -> d.length() + 3).sum())
          .isLessThanOrEqualTo(SpecialFiles.ARGUMENT_BYTES);
    }
  }
}
