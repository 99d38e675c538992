package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.store.LocalBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capturing a sandbox again reads only around what changed, and commits exactly the snapshot that
 * reading the whole layer would: after each kind of change, the incremental capture's manifest
 * (chunks, deletions, file count) equals that of an engine that never saw the sandbox.
 */
class IncrementalCaptureIT {
  /**
   * Names whose order in tar's stream is easy to get wrong: a name that is a prefix of another ("a"
   * and "a.c", "a-b"), spaces, unicode, and a directory sorted between files. The hardlink pair
   * sits in /w/z, after the files whose change the test times: a chunk boundary (placed by the
   * content) between two links makes a capture read the whole layer, rightly.
   */
  static final String TREE =
      """
      set -e
      mkdir -p /w
      tar -x -C /w
      ln -s ../a/f1 /w/m/link
      ln /w/z/f1 /w/z/hard
      echo first > /w/0-first
      echo last > /w/zz-last
      """;

  static final String[] DIRS = {"a", "a/b", "a.c", "a-b", "sp ace", "ü", "m", "z"};

  /**
   * The files' contents, the same in every run: where a change moves the content-defined cuts
   * depends on the bytes, and with random ones about one run in eight the cuts after a change fell
   * back into step with the previous stream's only at its end (a read past the bounds below).
   */
  private final java.util.SplittableRandom content = new java.util.SplittableRandom(20261127);

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) content.nextInt(256);
    }
    return b;
  }

  /** The tree's files as a tar stream made on the host (busybox has no seeded randomness). */
  private byte[] treeTar() throws java.io.IOException, InterruptedException {
    Path tree = java.nio.file.Files.createDirectories(dir.resolve("tree"));
    for (String d : DIRS) {
      Path sub = java.nio.file.Files.createDirectories(tree.resolve(d));
      for (int i = 1; i <= 40; i++) {
        java.nio.file.Files.write(sub.resolve("f" + i), bytes(20_000));
      }
    }
    java.nio.file.Files.createDirectories(tree.resolve("big"));
    java.nio.file.Files.write(tree.resolve("big/one"), bytes(6_000_000));
    Process tar =
        new ProcessBuilder(
                "tar",
                "-c",
                "--format=ustar",
                "--numeric-owner",
                "--owner=0",
                "--group=0",
                "-C",
                tree.toString(),
                ".")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = tar.getInputStream().readAllBytes();
    assertThat(tar.waitFor()).isZero();
    return out;
  }

  @TempDir Path dir;
  SandboxFixture sandboxes;
  LocalBlobStore store;
  SnapshotEngine engine;
  Sandbox sandbox;

  @BeforeEach
  void setUp() throws Exception {
    sandboxes = new SandboxFixture();
    store = new LocalBlobStore(dir.resolve("blobs"));
    engine = newEngine();
    sandbox = sandboxes.busybox();
    sh(TREE, treeTar());
  }

  @AfterEach
  void tearDown() {
    engine.close();
    sandboxes.removeAll();
    sandboxes.assertNothingLeft();
    sandboxes.close();
    store.close();
  }

  private SnapshotEngine newEngine() {
    // No racy window: these captures follow the changes within milliseconds, and the test counts
    // what they read (ListingTest covers the window).
    return new SnapshotEngine(
        sandboxes.runtime,
        store,
        new ObjectMapper(),
        Clock.systemUTC(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        Duration.ZERO);
  }

  private void sh(String line) {
    CommandResult r = sandboxes.sh(sandbox, line);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private void sh(String line, byte[] stdin) {
    CommandResult r =
        sandboxes.runtime.exec(
            sandbox,
            io.stepbox.sandbox.ExecRequest.newBuilder(java.util.List.of("/bin/sh", "-c", line))
                .setStdin(stdin)
                .build());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  /** Captures incrementally and from scratch, checks they agree, returns the bytes it cut anew. */
  private long captureAndCompare(String change) {
    Manifest incremental = engine.capture(sandbox, null, change);
    long read = engine.previous(sandbox).cutBytes();
    Manifest whole;
    try (SnapshotEngine fresh = newEngine()) {
      whole = fresh.capture(sandbox, null, change);
      assertThat(fresh.previous(sandbox).cutBytes()).isEqualTo(whole.tarBytes());
    }
    assertThat(incremental.chunks()).as("chunks after: " + change).isEqualTo(whole.chunks());
    assertThat(incremental.deletions()).as(change).isEqualTo(whole.deletions());
    assertThat(incremental.fileCount()).as(change).isEqualTo(whole.fileCount());
    assertThat(incremental.tarBytes()).as(change).isEqualTo(whole.tarBytes());
    return read;
  }

  @Test
  void eachKindOfChangeGivesTheSnapshotOfTheWholeLayer() {
    Manifest first = engine.capture(sandbox, null, "first");
    long total = first.tarBytes();
    assertThat(first.chunks()).hasSizeGreaterThan(8);

    assertThat(captureAndCompare("nothing")).isZero();
    // A capture that says it is the last keeps nothing: the next one reads the whole layer.
    engine.capture(sandbox, null, "last", false);
    assertThat(engine.previous(sandbox)).isNull();
    assertThat(captureAndCompare("after the last")).isEqualTo(total);

    sh("cat > /w/m/f20", bytes(20_000));
    assertThat(captureAndCompare("one file rewritten, same size")).isLessThan(total / 3);

    sh("echo more >> /w/a.c/f7");
    assertThat(captureAndCompare("one file grown")).isLessThan(total / 3);

    sh("echo new > '/w/sp ace/new file' && rm /w/ü/f3");
    captureAndCompare("a file added, a file of the layer removed");

    sh("rm /etc/passwd && chmod 600 /w/a/f2 && chown 1:2 /w/a-b/f9");
    captureAndCompare("a file of the image deleted, a mode and an owner changed");

    sh("echo changed > /w/zz-last");
    captureAndCompare("the last entry changed");

    sh("echo changed > /w/0-first");
    captureAndCompare("an early entry changed");

    sh("mv /w/a-b /w/a-c");
    captureAndCompare("a directory renamed");

    sh("dd of=/w/big/one bs=1 count=100 seek=3000000 conv=notrunc 2>/dev/null", bytes(100));
    // A changed file is cut again from the boundary before the change to its end.
    captureAndCompare("the middle of a large file changed");

    sh("ln /w/0-first /w/z/late-link");
    captureAndCompare("a hardlink across the stream");
  }
}
