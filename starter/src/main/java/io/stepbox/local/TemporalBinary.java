package io.stepbox.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the temporal CLI: the one STEPBOX_TEMPORAL_CLI names, else on PATH, then where {@code
 * ./stepbox setup} installs it.
 */
final class TemporalBinary {
  /** Where {@code scripts/setup} installs the CLI (it also links it into /usr/local/bin). */
  static final Path SETUP_DIR = Path.of("/opt/stepbox/tools/bin");

  /** The STEPBOX_TEMPORAL_CLI value that turns the CLI off: nothing is searched for. */
  static final String NONE = TemporalDevServer.NO_CLI;

  private TemporalBinary() {}

  /**
   * The CLI that {@code choice} (the value of STEPBOX_TEMPORAL_CLI, may be null) selects: none for
   * {@value #NONE}, that file for a path, else the first found by {@link #find(String)} on {@code
   * path}.
   *
   * @throws LocalStackException when {@code choice} names a file that is not an executable file
   */
  static Optional<Path> choose(String choice, String path) {
    if (choice == null || choice.isBlank()) {
      return find(path);
    }
    if (choice.equals(NONE)) {
      return Optional.empty();
    }
    Path chosen = Path.of(choice);
    if (!Files.isExecutable(chosen) || Files.isDirectory(chosen)) {
      throw new LocalStackException(
          "STEPBOX_TEMPORAL_CLI="
              + choice
              + " is not an executable file: point it at the temporal CLI, set it to '"
              + NONE
              + "' to use none, or unset it to search PATH",
          null);
    }
    return Optional.of(chosen);
  }

  /**
   * The first executable {@code temporal} on {@code path} (a PATH value, may be null) or setup's.
   */
  static Optional<Path> find(String path) {
    List<Path> candidates = new ArrayList<>();
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "temporal"));
        }
      }
    }
    candidates.add(Path.of("/usr/local/bin/temporal"));
    candidates.add(SETUP_DIR.resolve("temporal"));
    return candidates.stream()
        .filter(p -> Files.isExecutable(p) && !Files.isDirectory(p))
        .findFirst();
  }

  /** {@link #find} on this process's PATH, or a failure that says how to install the CLI. */
  static Path require() {
    return find(System.getenv("PATH"))
        .orElseThrow(
            () ->
                new LocalStackException(
                    "the temporal CLI is not installed (looked on PATH, in /usr/local/bin and in "
                        + SETUP_DIR
                        + "): run ./stepbox setup, or set TEMPORAL_ADDRESS to a running Temporal"
                        + " server",
                    null));
  }
}
