package io.stepbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.cli.HostCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelhouseTest {
  @TempDir Path data;

  private static final String SDIST = "demo-1.0.tar.gz";
  private static final String WHEEL = "backend-2.0-py3-none-any.whl";

  /** A package pinned to the sha256 of the contents these tests write. */
  private static final WorkloadPackage PKG =
      new WorkloadPackage(
          "demo",
          "1.0",
          new WorkloadPackage.Pin("demo==1.0", SDIST, sha256Of("sdist")),
          List.of(new WorkloadPackage.Pin("backend==2.0", WHEEL, sha256Of("wheel"))));

  @Test
  void aWheelhouseWithThePinnedFilesAndARepositoryIsReady() throws IOException {
    Path dir = complete();

    assertThat(Wheelhouse.isReady(dir, PKG)).isTrue();
  }

  @Test
  void aReadyWheelhouseIsUsedAsItIsWithoutPreparingAnything() throws IOException {
    Path dir = complete();
    List<String> notes = new ArrayList<>();

    Wheelhouse.Prepared p = Wheelhouse.ensure(data, PKG, notes::add);

    assertThat(notes).isEmpty();
    assertThat(p.wheels()).isEqualTo(dir.resolve("wheels"));
    assertThat(p.repo()).isEqualTo(dir.resolve("repo.git"));
  }

  @Test
  void aFileWhoseContentDiffersFromItsPinIsNotReady() throws IOException {
    Path dir = complete();
    Files.writeString(dir.resolve("wheels").resolve(WHEEL), "tampered");

    assertThat(Wheelhouse.isReady(dir, PKG)).isFalse();
  }

  @Test
  void aMissingFileAnExtraFileOrAMissingRepositoryIsNotReady() throws IOException {
    Path dir = complete();
    Files.delete(dir.resolve("wheels").resolve(SDIST));
    assertThat(Wheelhouse.isReady(dir, PKG)).isFalse();

    dir = complete();
    Files.writeString(dir.resolve("wheels").resolve("other-1.0.whl"), "x");
    assertThat(Wheelhouse.isReady(dir, PKG)).isFalse();

    dir = complete();
    Files.delete(dir.resolve("repo.git").resolve("HEAD"));
    assertThat(Wheelhouse.isReady(dir, PKG)).isFalse();
  }

  @Test
  void aPartialPreparationBesideItIsNeverTheWheelhouse() throws IOException {
    Path dir = Wheelhouse.dir(data, PKG);
    Path partial = dir.resolveSibling(".partial-demo-1.0-123");
    fill(partial);

    assertThat(Wheelhouse.isReady(dir, PKG)).isFalse();
  }

  @Test
  void theWheelhouseLivesUnderTheDataDirectoryByNameAndVersion() {
    assertThat(Wheelhouse.dir(data, PKG)).isEqualTo(data.resolve("bench/workload/demo-1.0"));
  }

  private Path complete() throws IOException {
    Path dir = Wheelhouse.dir(data, PKG);
    if (Files.exists(dir)) {
      HostCommand.deleteTree(dir);
    }
    fill(dir);
    return dir;
  }

  private static void fill(Path dir) throws IOException {
    Path wheels = Files.createDirectories(dir.resolve("wheels"));
    Files.writeString(wheels.resolve(SDIST), "sdist");
    Files.writeString(wheels.resolve(WHEEL), "wheel");
    Path repo = Files.createDirectories(dir.resolve("repo.git"));
    Files.writeString(repo.resolve("HEAD"), "ref: refs/heads/main\n");
  }

  private static String sha256Of(String content) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(content.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
