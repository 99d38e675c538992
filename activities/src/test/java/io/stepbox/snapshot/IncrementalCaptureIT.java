package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.sandbox.ExecResult;
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
   * sits in /w/z, after the files whose change the test times: a chunk boundary (random, like the
   * content) between two links makes a capture read the whole layer, rightly.
   */
  static final String TREE =
      """
      set -e
      mkdir -p /w/a/b /w/a.c /w/a-b "/w/sp ace" /w/ü /w/m /w/z /w/big
      for d in a a/b a.c a-b "sp ace" ü m z; do
        for i in $(seq 1 40); do head -c 20000 /dev/urandom > "/w/$d/f$i"; done
      done
      head -c 6000000 /dev/urandom > /w/big/one
      ln -s ../a/f1 /w/m/link
      ln /w/z/f1 /w/z/hard
      echo first > /w/0-first
      echo last > /w/zz-last
      """;

  @TempDir Path dir;
  SandboxFixture sandboxes;
  LocalBlobStore store;
  SnapshotEngine engine;
  Sandbox sandbox;

  @BeforeEach
  void setUp() {
    sandboxes = new SandboxFixture();
    store = new LocalBlobStore(dir.resolve("blobs"));
    engine = newEngine();
    sandbox = sandboxes.busybox();
    sh(TREE);
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
    ExecResult r = sandboxes.sh(sandbox, line);
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

    sh("head -c 20000 /dev/urandom > /w/m/f20");
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

    sh("dd if=/dev/urandom of=/w/big/one bs=1 count=100 seek=3000000 conv=notrunc 2>/dev/null");
    // A changed file is cut again from the boundary before the change to its end.
    captureAndCompare("the middle of a large file changed");

    sh("ln /w/0-first /w/z/late-link");
    captureAndCompare("a hardlink across the stream");
  }
}
