package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A full listing of a busybox sandbox's filesystem, taken from inside: path, type, mode, owner,
 * size and mtime of non-directories, content hash, link target and hardlink identity.
 */
final class TreeListing {
  private static final String PRUNE =
      "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /tmp \\) -prune -o ";
  private static final Set<String> PER_SANDBOX =
      Set.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/.dockerenv", "/etc/mtab");

  private TreeListing() {}

  /**
   * Entries (without mtimes) and the mtimes of non-directories, apart so that they can be compared
   * with a tolerance.
   */
  record Tree(Map<String, String> entries, Map<String, java.time.Instant> mtimes) {
    /** Paths whose mtimes differ from {@code other}'s by more than {@code tolerance}. */
    List<String> mtimesOff(Tree other, java.time.Duration tolerance) {
      return mtimes.entrySet().stream()
          .filter(
              e -> {
                var o = other.mtimes.get(e.getKey());
                return o == null
                    || java.time.Duration.between(e.getValue(), o).abs().compareTo(tolerance) > 0;
              })
          .map(e -> e.getKey() + " " + e.getValue() + " vs " + other.mtimes.get(e.getKey()))
          .toList();
    }
  }

  private static final java.time.format.DateTimeFormatter TIME =
      new java.time.format.DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendPattern(" xx")
          .toFormatter();

  static Tree of(SandboxRuntime runtime, Sandbox sandbox) {
    String stats =
        run(runtime, sandbox, PRUNE + "-exec stat -c '%n|%F|%a|%u|%g|%s|%y|%h|%i|%N' {} +");
    String sums = run(runtime, sandbox, PRUNE + "-type f -exec sha256sum {} +");
    Map<String, String> hashes = new HashMap<>();
    for (String line : sums.split("\n")) {
      if (!line.isBlank()) {
        hashes.put(line.substring(66), line.substring(0, 64));
      }
    }
    Map<String, String> firstOfInode = new TreeMap<>();
    List<String[]> rows =
        sums.isEmpty()
            ? List.of()
            : stats
                .lines()
                .map(l -> l.split("\\|", 10))
                .sorted((a, b) -> a[0].compareTo(b[0]))
                .toList();
    for (String[] r : rows) {
      if (!r[1].equals("directory") && Integer.parseInt(r[7]) > 1) {
        firstOfInode.putIfAbsent(r[8], r[0]);
      }
    }
    Map<String, String> listing = new TreeMap<>();
    Map<String, java.time.Instant> mtimes = new TreeMap<>();
    for (String[] r : rows) {
      if (PER_SANDBOX.contains(r[0])) {
        continue;
      }
      boolean dir = r[1].equals("directory");
      String link = r[1].equals("symbolic link") ? r[9].substring(r[9].indexOf(" -> ") + 4) : "";
      String identity = !dir && Integer.parseInt(r[7]) > 1 ? firstOfInode.get(r[8]) : "";
      listing.put(
          r[0],
          String.join(
              "|",
              r[1],
              r[2],
              r[3] + ":" + r[4],
              dir ? "" : r[5],
              hashes.getOrDefault(r[0], ""),
              link,
              identity));
      if (!dir) {
        mtimes.put(r[0], java.time.OffsetDateTime.parse(r[6], TIME).toInstant());
      }
    }
    return new Tree(listing, mtimes);
  }

  private static String run(SandboxRuntime runtime, Sandbox sandbox, String line) {
    CommandResult r =
        runtime.exec(
            sandbox,
            ExecRequest.newBuilder(List.of("/bin/sh", "-c", line))
                .setOutputLimit(16 << 20)
                .build());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.truncated()).isFalse();
    return r.stdout();
  }
}
