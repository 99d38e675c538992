package io.stepbox.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the temporal CLI: on PATH, then where {@code ./stepbox setup} installs it. */
final class TemporalBinary {
  /** Where {@code scripts/setup} installs the CLI (it also links it into /usr/local/bin). */
  static final Path SETUP_DIR = Path.of("/opt/stepbox/tools/bin");

  private TemporalBinary() {}

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
