package io.stepbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the temporal CLI. */
class TemporalBinaryTest {
  @TempDir Path tmp;

  @Test
  void takesTheFirstExecutableOnThePath() throws Exception {
    Path notExecutable = Files.createDirectories(tmp.resolve("a")).resolve("temporal");
    Files.writeString(notExecutable, "");
    Path dir = Files.createDirectories(tmp.resolve("b").resolve("temporal"));
    Path good = Files.createDirectories(tmp.resolve("c")).resolve("temporal");
    Files.writeString(good, "#!/bin/sh\n");
    Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rwxr-xr-x"));

    String path =
        String.join(
            ":",
            notExecutable.getParent().toString(),
            "",
            dir.getParent().toString(),
            good.getParent().toString());
    assertThat(TemporalBinary.find(path)).contains(good);
  }

  @Test
  void fallsBackToWhereSetupInstallsIt() {
    TemporalBinary.find(tmp.toString())
        .ifPresent(
            p ->
                assertThat(p)
                    .isIn(
                        Path.of("/usr/local/bin/temporal"),
                        TemporalBinary.SETUP_DIR.resolve("temporal")));
  }

  @Test
  void stepboxTemporalCliChoosesTheBinaryOrNone() throws Exception {
    Path chosen = Files.createDirectories(tmp.resolve("bin")).resolve("my-temporal");
    Files.writeString(chosen, "#!/bin/sh\n");
    Files.setPosixFilePermissions(chosen, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path onPath = Files.createDirectories(tmp.resolve("path")).resolve("temporal");
    Files.writeString(onPath, "#!/bin/sh\n");
    Files.setPosixFilePermissions(onPath, PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = onPath.getParent().toString();

    assertThat(TemporalBinary.choose(chosen.toString(), path)).contains(chosen);
    assertThat(TemporalBinary.choose("none", path)).as("none hides every CLI").isEmpty();
    assertThat(TemporalBinary.choose(null, path)).contains(onPath);
    assertThat(TemporalBinary.choose("", path)).contains(onPath);
    assertThatThrownBy(() -> TemporalBinary.choose(tmp.resolve("missing").toString(), path))
        .isInstanceOf(LocalStackException.class)
        .hasMessageContaining("STEPBOX_TEMPORAL_CLI=" + tmp.resolve("missing"))
        .hasMessageContaining("'none'");
  }
}
