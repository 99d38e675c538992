package io.stepbox.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes an overlay2 upper directory with GNU tar, which carries everything a layer
 * holds: owners, modes (setuid, sticky), nanosecond mtimes, hardlinks, symlinks, whiteouts (char
 * devices 0:0) and the opaque-directory mark (the {@code trusted.overlay.opaque} xattr). The stream
 * is deterministic for a given tree: sorted names, no atime or ctime, fixed extended header names,
 * numeric owners.
 */
final class LayerTar {
  private static final String OPAQUE_XATTR = "--xattrs-include=trusted.overlay.opaque";

  private LayerTar() {}

  /** A running {@code tar -c}: read {@link #stream()} to its end, then call {@link #finish()}. */
  static final class Capture implements AutoCloseable {
    private final Process process;
    private final CompletableFuture<String> stderr;

    private Capture(Process process) {
      this.process = process;
      this.stderr = drain(process.getErrorStream());
    }

    InputStream stream() {
      return process.getInputStream();
    }

    /** Reads what is left, waits for tar and fails unless it read every file cleanly. */
    void finish() {
      try {
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        int rc = process.waitFor();
        if (rc != 0) {
          throw SnapshotException.layer(
              "reading the sandbox's layer failed (tar exit "
                  + rc
                  + "): "
                  + stderr.join().strip()
                  + (rc == 1
                      ? "; a file changed while it was read: snapshot an idle sandbox"
                      : ""));
        }
      } catch (IOException e) {
        throw SnapshotException.layer("reading the sandbox's layer failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SnapshotException.interrupted("interrupted while reading the sandbox's layer", e);
      }
    }

    /**
     * Stops tar before it has written everything, and fails if it reported a problem with what it
     * wrote so far (such as a file that changed while it was read): tar reports a file's problem
     * before it goes on to the next file, so everything read up to here is vouched for.
     */
    void stopEarly() {
      process.destroyForcibly();
      String problems = stderr.join().strip();
      if (!problems.isEmpty()) {
        throw SnapshotException.layer(
            "reading the sandbox's layer failed: "
                + problems
                + "; if a file changed while it was read, snapshot an idle sandbox");
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Starts {@code tar -c} of {@code upper}, leaving out {@code excluded} absolute paths. */
  static Capture capture(Path upper, Collection<String> excluded) {
    List<String> cmd = confined(upper);
    cmd.addAll(createCommand(upper));
    cmd.addAll(List.of("--sort=name", "--anchored"));
    for (String path : excluded) {
      cmd.add("--exclude=." + path);
    }
    cmd.addAll(List.of("-f", "-", "."));
    return new Capture(start(cmd));
  }

  /**
   * Starts {@code tar -c} of just the entries {@code paths} (absolute, in this order), each without
   * what lies under it. Each entry's bytes are those the whole-layer capture writes for it, as long
   * as no hardlink has a link among {@code paths} and another before them.
   */
  static Capture captureEntries(Path upper, List<String> paths) {
    // tar resolves each listed path from the layer's root, following a symlink in the middle of
    // it; a sandbox that swapped a listed directory for a link to / would have host files read.
    // So tar reads through a bind mount of the layer on which no symlink is followed.
    List<String> cmd = confined(upper);
    if (cmd.isEmpty()) {
      throw new IllegalStateException("captureEntries needs canCaptureEntries()");
    }
    cmd.addAll(createCommand(upper));
    cmd.addAll(List.of("--no-recursion", "--null", "--verbatim-files-from", "-T", "-", "-f", "-"));
    Process p = start(cmd);
    Thread feeder =
        new Thread(
            () -> {
              try (OutputStream names = new java.io.BufferedOutputStream(p.getOutputStream())) {
                for (String path : paths) {
                  names.write(("." + path).getBytes(StandardCharsets.UTF_8));
                  names.write(0);
                }
              } catch (IOException e) {
                // tar stopped early (on purpose, or it failed and says why on stderr).
              }
            },
            "stepbox-tar-names");
    feeder.setDaemon(true);
    feeder.start();
    return new Capture(p);
  }

  /**
   * Whether {@link #captureEntries} can run here: a private mount namespace and the {@code
   * nosymfollow} mount option (Linux 5.10, CAP_SYS_ADMIN). Probed once.
   */
  static boolean canCaptureEntries() {
    return Confinement.SUPPORTED;
  }

  private static final class Confinement {
    static final boolean SUPPORTED = probe();

    private static boolean probe() {
      try {
        Path dir = java.nio.file.Files.createTempDirectory("stepbox-nosymfollow-");
        try {
          Process p =
              new ProcessBuilder(
                      "unshare",
                      "-m",
                      "--propagation",
                      "private",
                      "sh",
                      "-c",
                      "mount --bind -o nosymfollow \"$0\" \"$0\"",
                      dir.toString())
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } finally {
          java.nio.file.Files.deleteIfExists(dir);
        }
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * The command prefix that runs a command on a bind mount of {@code upper} on which no symlink is
   * followed (tar's own walk already follows none; this guards path lookups too); empty where the
   * host cannot.
   */
  private static List<String> confined(Path upper) {
    if (!canCaptureEntries()) {
      return new ArrayList<>();
    }
    return new ArrayList<>(
        List.of(
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount --bind -o nosymfollow \"$0\" \"$0\" && exec \"$@\"",
            upper.toString()));
  }

  private static List<String> createCommand(Path upper) {
    return new ArrayList<>(
        List.of(
            "tar",
            "-c",
            "-C",
            upper.toString(),
            "--format=posix",
            "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
            "--numeric-owner",
            "--xattrs",
            OPAQUE_XATTR));
  }

  /** Extracts {@code tar} into an empty upper directory, keeping owners, modes and whiteouts. */
  static void extract(InputStream tar, Path upper) {
    Process p =
        start(
            List.of(
                "tar",
                "-x",
                "-C",
                upper.toString(),
                "--numeric-owner",
                "--same-owner",
                "--same-permissions",
                "--xattrs",
                OPAQUE_XATTR,
                "-f",
                "-"));
    CompletableFuture<String> stderr = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      tar.transferTo(in); // a snapshot's stream writes straight from its chunks, 256 KiB at a time
    } catch (IOException e) {
      p.destroyForcibly();
      throw SnapshotException.layer(
          "writing the restored layer failed: " + e + " " + stderr.join().strip(), e);
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw SnapshotException.layer(
            "writing the restored layer into " + upper + " failed: " + stderr.join().strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw SnapshotException.interrupted("interrupted while restoring", e);
    }
  }

  private static Process start(List<String> cmd) {
    try {
      return new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw SnapshotException.layer(
          "cannot run GNU tar (" + e.getMessage() + "); install it: apt-get install tar", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream err) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            byte[] b = err.readNBytes(64 * 1024);
            err.transferTo(OutputStream.nullOutputStream());
            return new String(b, StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        r -> {
          Thread t = new Thread(r, "stepbox-tar-stderr");
          t.setDaemon(true);
          t.start();
        });
  }
}
