package io.stepbox.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the runsc processes (runsc-sandbox, runsc-gofer, runsc) that dockerd started on this host
 * (their state lives under its exec root, /var/run/docker) and the container ids they serve, read
 * from their command lines. A failed start can leave them running after dockerd removed the
 * container; those are killed here. runsc processes of other engines (containerd, Kubernetes, a
 * rootless dockerd) are never touched.
 */
final class StrayProcesses {
  private static final Path PROC = Path.of("/proc");
  private static final Pattern CONTAINER_ID = Pattern.compile("\\b[0-9a-f]{64}\\b");
  private static final String DOCKERD_EXEC_ROOT = "/run/docker/";

  /** A process seen by {@link #scan()}: its container ids and start time (against pid reuse). */
  record Seen(Set<String> ids, java.util.Optional<java.time.Instant> started) {}

  private StrayProcesses() {}

  /** runsc processes now running, by pid, with the container ids named in their arguments. */
  static Map<Long, Seen> scan() {
    Map<Long, Seen> found = new HashMap<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(
            PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path dir : dirs) {
        String cmdline = read(dir.resolve("cmdline"));
        String argv0 = cmdline.split("\0", 2)[0];
        String name = argv0.substring(argv0.lastIndexOf('/') + 1);
        if (!name.startsWith("runsc") || !cmdline.contains(DOCKERD_EXEC_ROOT)) {
          continue;
        }
        Set<String> ids = new HashSet<>();
        Matcher m = CONTAINER_ID.matcher(cmdline.replace('\0', ' '));
        while (m.find()) {
          ids.add(m.group());
        }
        if (!ids.isEmpty()) {
          long pid = Long.parseLong(dir.getFileName().toString());
          found.put(
              pid, new Seen(ids, ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())));
        }
      }
    } catch (IOException e) {
      // /proc vanished under us: report what was seen.
    }
    return found;
  }

  /**
   * Kills runsc processes none of whose container ids pass {@code alive}. Scan first, then ask the
   * engine: a container that starts after the scan cannot have its processes in the scan.
   */
  static List<Long> killUnless(Map<Long, Seen> scanned, Predicate<String> alive) {
    List<Long> killed = new ArrayList<>();
    scanned.forEach(
        (pid, seen) -> {
          if (seen.ids().stream().noneMatch(alive)) {
            ProcessHandle.of(pid)
                .ifPresent(
                    p -> {
                      boolean samePid = p.info().startInstant().equals(seen.started());
                      if (samePid && p.destroyForcibly()) {
                        killed.add(pid);
                      }
                    });
          }
        });
    return killed;
  }

  /** Kills the runsc processes of these (removed) containers. */
  static List<Long> killFor(Set<String> removedIds) {
    return killUnless(scan(), id -> !removedIds.contains(id));
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
