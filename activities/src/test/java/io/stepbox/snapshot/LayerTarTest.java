package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarTest {
  @TempDir Path upper;

  @Test
  void listedEntriesAreReadWithoutFollowingASymlinkOnTheWay() throws Exception {
    // A sandbox could swap a directory it listed for a link out of its layer before tar reads.
    Path outside = Files.createTempDirectory("stepbox-outside-");
    Files.writeString(outside.resolve("secret"), "host data");
    Files.createSymbolicLink(upper.resolve("d"), outside);
    Files.writeString(upper.resolve("plain"), "layer data");
    assertThat(LayerTar.canCaptureEntries()).as("CI hosts are Linux 5.10+ as root").isTrue();

    LayerTar.Capture ok = LayerTar.captureEntries(upper, List.of("/d", "/plain"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    ok.stream().transferTo(tar);
    ok.finish();
    assertThat(tar.toString()).contains("layer data").doesNotContain("host data");

    LayerTar.Capture through = LayerTar.captureEntries(upper, List.of("/d/secret"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    through.stream().transferTo(out);
    assertThatThrownBy(through::finish)
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("symbolic links");
    assertThat(out.toString()).doesNotContain("host data");
    Files.delete(outside.resolve("secret"));
    Files.delete(outside);
  }
}
