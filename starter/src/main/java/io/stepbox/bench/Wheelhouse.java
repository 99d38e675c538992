package io.stepbox.bench;

import io.stepbox.cli.CommandException;
import io.stepbox.cli.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The workload's inputs on the host, made once under {@code <data dir>/bench/workload/<name>-
 * <version>/}: {@code wheels/} (the sdist and the wheels its offline install needs, from the host's
 * {@code python3 -m pip download}, each checked by sha256) and {@code repo.git} (a bare repository
 * of the unpacked sdist, one commit). They are made in a {@code .partial-*} directory beside it and
 * renamed into place, so a preparation cut short is never taken for a finished one.
 */
final class Wheelhouse {
  static final String WHEELS = "wheels";
  static final String REPO = "repo.git";
  private static final String PARTIAL = ".partial-";

  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  /** A partial directory older than this was left by a preparation that died. */
  private static final Duration ABANDONED = Duration.ofHours(1);

  /** One author and date, so the repository is the same commit each time it is made. */
  private static final Map<String, String> GIT_ENV =
      Map.of(
          "GIT_CONFIG_NOSYSTEM", "1",
          "GIT_CONFIG_GLOBAL", "/dev/null",
          "GIT_AUTHOR_NAME", "stepbox bench",
          "GIT_AUTHOR_EMAIL", "bench@stepbox.invalid",
          "GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z",
          "GIT_COMMITTER_NAME", "stepbox bench",
          "GIT_COMMITTER_EMAIL", "bench@stepbox.invalid",
          "GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");

  /** Where a prepared wheelhouse's parts are. */
  record Prepared(Path wheels, Path repo) {}

  private Wheelhouse() {}

  static Path dir(Path dataDir, WorkloadPackage pkg) {
    return dataDir.resolve("bench").resolve("workload").resolve(pkg.id());
  }

  /**
   * Whether {@code dir} is a finished wheelhouse of {@code pkg}: {@code wheels/} holds exactly the
   * pinned files with their sha256, and {@code repo.git} is a repository.
   */
  static boolean isReady(Path dir, WorkloadPackage pkg) {
    Path wheels = dir.resolve(WHEELS);
    if (!Files.isRegularFile(dir.resolve(REPO).resolve("HEAD")) || !Files.isDirectory(wheels)) {
      return false;
    }
    Set<String> pinned =
        pkg.files().stream().map(WorkloadPackage.Pin::fileName).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(wheels)) {
      Set<String> present = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
      if (!present.equals(pinned)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return pkg.files().stream()
        .allMatch(p -> p.sha256().equals(sha256(wheels.resolve(p.fileName()))));
  }

  /** The wheelhouse of {@code pkg}, prepared first when not ready; notes go to {@code note}. */
  static Prepared ensure(Path dataDir, WorkloadPackage pkg, Consumer<String> note) {
    Path dir = dir(dataDir, pkg);
    if (!isReady(dir, pkg)) {
      Path base = createDirectories(dir.getParent());
      removeAbandoned(base);
      if (Files.exists(dir)) {
        note.accept("bench workload: " + dir + " is incomplete; preparing it again");
        HostCommand.deleteTree(dir);
      }
      note.accept("bench workload: preparing " + dir + " (once): pip download from PyPI");
      Path partial = createTempDirectory(base, PARTIAL + pkg.id() + "-");
      try {
        fill(partial, pkg);
        publish(partial, dir, pkg);
      } finally {
        if (Files.exists(partial)) {
          HostCommand.deleteTree(partial);
        }
      }
    }
    return new Prepared(dir.resolve(WHEELS), dir.resolve(REPO));
  }

  private static void fill(Path partial, WorkloadPackage pkg) {
    Path wheels = createDirectories(partial.resolve(WHEELS));
    download(wheels, pkg.sdist(), "--no-binary");
    for (WorkloadPackage.Pin wheel : pkg.buildWheels()) {
      download(wheels, wheel, "--only-binary");
    }
    Path src = createDirectories(partial.resolve("src"));
    Path sdist = wheels.resolve(pkg.sdist().fileName()).toAbsolutePath();
    HostCommand.run(
        src, "tar", "-xzf", sdist.toString(), "--strip-components=1", "--no-same-owner");
    git(src, "init", "-q", "-b", "main");
    git(src, "add", "-A", "-f", ".");
    git(src, "commit", "-q", "-m", pkg.id() + ": the sdist from PyPI, unpacked");
    git(partial, "clone", "-q", "--bare", src.toString(), partial.resolve(REPO).toString());
    HostCommand.deleteTree(src);
  }

  /** {@code pip download} of one pinned file for the image's Python, then its sha256 check. */
  private static void download(Path wheels, WorkloadPackage.Pin pin, String binaryRule) {
    HostCommand.run(
        wheels,
        Map.of(),
        List.of(
            "python3",
            "-m",
            "pip",
            "download",
            "--disable-pip-version-check",
            "--no-deps",
            "--python-version",
            Workload.IMAGE_PYTHON,
            binaryRule,
            ":all:",
            "--dest",
            ".",
            pin.requirement()));
    Path file = wheels.resolve(pin.fileName());
    if (!Files.isRegularFile(file)) {
      throw new CommandException(
          1, "pip download " + pin.requirement() + " saved no " + pin.fileName(), null);
    }
    String actual = sha256(file);
    if (!actual.equals(pin.sha256())) {
      throw new CommandException(
          1,
          pin.fileName()
              + " from PyPI has sha256 "
              + actual
              + ", not the pinned "
              + pin.sha256()
              + "; refusing to use it",
          null);
    }
  }

  private static void publish(Path partial, Path dir, WorkloadPackage pkg) {
    try {
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (!isReady(dir, pkg)) { // another run published first: use its copy if it is whole
        throw new CommandException(1, dir + " appeared half-made; remove it and run again", e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + partial + " to " + dir, e);
    }
  }

  private static void removeAbandoned(Path base) {
    Instant before = Instant.now().minus(ABANDONED);
    try (Stream<Path> entries = Files.list(base)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (p.getFileName().toString().startsWith(PARTIAL)
            && Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
          HostCommand.deleteTree(p);
        }
      }
    } catch (IOException e) {
      // Left behind; never used, since only a renamed directory counts.
    }
  }

  private static void git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    HostCommand.run(dir, GIT_ENV, cmd);
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** Readable by all, as the rest of the data directory: the sandboxes read it as mounts. */
  private static Path createTempDirectory(Path base, String prefix) {
    try {
      return Files.createTempDirectory(
          base, prefix, PosixFilePermissions.asFileAttribute(READABLE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in " + base, e);
    }
  }
}
