package io.stepbox.snapshot;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.ExecResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxLayer;
import io.stepbox.sandbox.SandboxRuntime;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds fifos that exist only inside gVisor. gVisor's gofer may not create them on the host, so its
 * kernel keeps them in memory where neither the host layer nor Docker sees them. They are looked
 * for, from inside the running sandbox, in the directories the host saw change since the sandbox
 * started and in the working and home directories ({@code $PWD}, {@code $HOME}, {@code /root},
 * {@code /home/*}), which a fifo may be made in without the host seeing any change; a full scan
 * costs about half a millisecond per directory under gVisor. They are recorded in the manifest and
 * made again inside the restored sandbox: a fifo put into the host layer would be refused by gVisor
 * ("operation not permitted").
 */
final class SpecialFiles {
  /**
   * Lists the fifos directly in its arguments and the working and home directories. Every process
   * costs several milliseconds of CPU under gVisor, so this starts as few as it can: the shell adds
   * the working and home directories that exist with builtins only, then runs one find, the kind
   * the image has first: busybox's with stat, GNU's with {@code -printf} (GNU stat would not do:
   * its statx fails on gVisor's in-memory fifos with "Invalid argument"). Only when that one fails
   * (the wrong kind after all, or a changed directory gone since) does the other run.
   */
  private static final String SCAN =
      """
      for d in "$PWD" "${HOME:-/root}" /root /home /home/*; do
        [ -d "$d" ] && set -- "$@" "$d"
      done
      with_printf() { find "$@" -maxdepth 1 -type p -printf '%m %U %G %T@|%p\\n' 2>/dev/null; }
      with_stat() { find "$@" -maxdepth 1 -type p -exec stat -c '%a %u %g %y|%n' {} + 2>/dev/null; }
      if [ /bin/find -ef /bin/busybox ] || [ /usr/bin/find -ef /bin/busybox ]; then
        with_stat "$@" || with_printf "$@"
      else
        with_printf "$@" || with_stat "$@"
      fi
      exit 0
      """;

  /** Directory names up to this many bytes go as arguments; more go through xargs. */
  static final int ARGUMENT_BYTES = 64 << 10;

  /** A fifo found in the sandbox. */
  private static final DateTimeFormatter BUSYBOX_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendPattern(" xx")
          .toFormatter();

  private SpecialFiles() {}

  /**
   * The fifos in {@code changedDirs} and the working and home directories, or none when the sandbox
   * is not running.
   */
  static List<Manifest.Fifo> scan(
      SandboxRuntime runtime, Sandbox sandbox, SandboxLayer layer, List<String> changedDirs) {
    if (!layer.running()) {
      return List.of();
    }
    ExecResult r = runtime.exec(sandbox, scanRequest(changedDirs));
    if (!r.succeeded() || r.truncated()) {
      throw new SnapshotException(
          "looking for fifos in sandbox "
              + sandbox.shortId()
              + " failed ("
              + r.outcome()
              + " "
              + r.exitCode()
              + "): "
              + r.stderr().strip());
    }
    Map<String, Manifest.Fifo> fifos = new LinkedHashMap<>(); // a directory may come twice
    for (String line : r.stdout().split("\n")) {
      int bar = line.indexOf('|');
      String[] f = bar < 0 ? new String[0] : line.substring(0, bar).split(" ", 4);
      if (f.length == 4) {
        String path = line.substring(bar + 1).replaceAll("/{2,}", "/");
        fifos.put(
            path,
            new Manifest.Fifo(
                path,
                Integer.parseInt(f[0], 8),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                time(f[3]).toString()));
      }
    }
    return List.copyOf(fifos.values());
  }

  /**
   * The command that scans {@code dirs}: given as arguments when they are few, on stdin when not.
   */
  static ExecRequest scanRequest(List<String> dirs) {
    long bytes = dirs.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    ExecRequest.Builder request;
    if (bytes <= ARGUMENT_BYTES) {
      List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCAN, "scan"));
      argv.addAll(dirs);
      request = ExecRequest.newBuilder(argv);
    } else {
      StringBuilder names = new StringBuilder();
      dirs.forEach(d -> names.append(d).append('\0'));
      request =
          ExecRequest.newBuilder(List.of("/bin/sh", "-c", "exec xargs -0 sh -c \"$0\" scan", SCAN))
              .setStdin(names.toString().getBytes(StandardCharsets.UTF_8));
    }
    return request.setTimeout(Duration.ofMinutes(2)).setOutputLimit(8 << 20).build();
  }

  /**
   * GNU find's {@code 1795739197.123456789} or busybox stat's {@code 2026-11-27 00:26:37.1 +0000}.
   */
  static Instant time(String t) {
    if (!t.contains("-")) {
      BigDecimal secs = new BigDecimal(t);
      long whole = secs.longValue();
      return Instant.ofEpochSecond(
          whole, secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
    }
    return OffsetDateTime.parse(t, BUSYBOX_TIME).toInstant();
  }

  /** The end-of-archive blocks that close a tar stream. */
  static byte[] trailer() {
    return new byte[1024];
  }

  /** Makes {@code fifos} inside the running sandbox, with their mode, owner and mtime. */
  static void make(SandboxRuntime runtime, Sandbox sandbox, List<Manifest.Fifo> fifos) {
    if (fifos.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (Manifest.Fifo f : fifos) {
      Instant t = Instant.parse(f.mtime());
      lines.append(
          String.format(
              "%o %d:%d %d %09d %s%n",
              f.mode(), f.uid(), f.gid(), t.getEpochSecond(), t.getNano(), f.path()));
    }
    ExecResult r =
        runtime.exec(
            sandbox,
            ExecRequest.newBuilder(List.of("/bin/sh", "-c", MAKE))
                .setStdin(lines.toString().getBytes(StandardCharsets.UTF_8))
                .setTimeout(Duration.ofMinutes(2))
                .build());
    if (!r.succeeded()) {
      throw new SnapshotException(
          "making fifos in sandbox " + sandbox.shortId() + " failed: " + r.stderr().strip());
    }
  }

  /** Sub-second mtimes where touch takes them (GNU), whole seconds where not (busybox). */
  private static final String MAKE =
      "while IFS=' ' read -r mode owner secs nanos path; do\n"
          + "  mkfifo -m \"$mode\" \"$path\" && chown \"$owner\" \"$path\" || exit 1\n"
          + "  touch -d \"@$secs.$nanos\" \"$path\" 2>/dev/null || touch -d \"@$secs\" \"$path\" || exit 1\n"
          + "done\n";
}
