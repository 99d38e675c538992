package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.store.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshot capture and restore on real gVisor sandboxes, against one blob store. */
abstract class SnapshotEngineContract {
  static final String BUILD_TREE =
      """
      set -e
      mkdir -p /w/empty /w/sub/deeper "/w/with space" /w/sticky
      echo hello > /w/sub/file.txt
      printf x > "/w/with space/a b.txt"
      echo u > "/w/ünïcødé-文件.txt"
      echo long > /w/$(printf 'n%.0s' $(seq 1 255))
      echo s > /w/setuid && chmod 4755 /w/setuid
      chmod 1777 /w/sticky
      echo o > /w/owned && chown 1000:1000 /w/owned && chown 5:6 /w/sub
      ln -s sub/file.txt /w/rel-link && ln -s /etc/passwd /w/abs-link && ln -s /nowhere /w/dangling
      touch -d '2001-02-03 04:05:06' /w/sub/file.txt /w/owned
      ln /w/sub/file.txt /w/hard
      mkfifo -m 640 /w/fifo && chown 7:8 /w/fifo
      # busybox touch sets whole seconds only, so the fifo gets a whole-second mtime to compare
      touch -d '2002-03-04 05:06:07' /w/fifo
      rm /etc/group
      rm /bin/ls && echo 'not a link any more' > /bin/ls
      rm -rf /root && mkdir /root && echo new > /root/only
      head -c 209715200 /dev/urandom > /w/big
      """;

  SandboxFixture sandboxes;
  SnapshotEngine engine;

  abstract BlobStore store();

  @BeforeEach
  void engine() {
    sandboxes = new SandboxFixture();
    engine = new SnapshotEngine(sandboxes.runtime, store(), new ObjectMapper(), Clock.systemUTC());
  }

  @AfterEach
  void cleanUp() {
    engine.close();
    sandboxes.removeAll();
    sandboxes.assertNothingLeft();
    sandboxes.close();
  }

  Sandbox busybox() {
    return sandboxes.busybox();
  }

  void sh(Sandbox s, String line) {
    CommandResult r = sandboxes.sh(s, line);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  @Test
  void aRestoredSandboxMatchesTheOriginalEntryForEntry() {
    Sandbox original = busybox();
    sh(original, BUILD_TREE);
    TreeListing.Tree before = TreeListing.of(sandboxes.runtime, original);
    assertThat(before.entries().get("/w/fifo")).startsWith("fifo|640|7:8|");
    assertThat(before.entries().get("/bin/ls")).startsWith("regular file|");
    assertThat(before.entries()).doesNotContainKey("/etc/group");
    assertThat(before.entries().get("/w/hard")).endsWith("|/w/hard");

    Manifest m = engine.capture(original, "task-1", "build");
    assertThat(m.deletions()).contains("/etc/group", "/root/");
    assertThat(m.tarBytes()).isGreaterThan(200L << 20);

    Sandbox restored =
        engine.restore(m.id(), SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).build());
    TreeListing.Tree after = TreeListing.of(sandboxes.runtime, restored);
    assertThat(after.entries()).isEqualTo(before.entries());
    // gVisor keeps its own copy of a write's timestamp, microseconds to milliseconds off the
    // host's, which is
    // what a snapshot captures (the host's); explicitly set times (touch -d) match exactly.
    assertThat(after.mtimesOff(before, Duration.ofMillis(50))).isEmpty();
    assertThat(after.mtimes().get("/w/owned")).isEqualTo(before.mtimes().get("/w/owned"));

    // The next snapshot of the restored sandbox still has the fifo, though gVisor made it in a
    // directory the host never saw change.
    sh(restored, "echo more > /w/sub/deeper/new");
    Manifest next = engine.capture(restored, "task-1", "next");
    assertThat(next.fifos()).extracting(Manifest.Fifo::path).containsExactly("/w/fifo");
    assertThat(engine.verify(m.id())).isEmpty();
  }

  @Test
  void fifosMadeInTheWorkingAndHomeDirectoriesAloneAreKept() {
    // gVisor keeps these fifos in its memory and the host sees neither them nor any change to the
    // image's directories they are in.
    Sandbox original = busybox();
    sh(original, "mkfifo /root/pipe && mkfifo -m 600 ./here && pwd");
    Manifest m = engine.capture(original, null, "fifos");
    assertThat(m.fifos())
        .extracting(Manifest.Fifo::path)
        .containsExactlyInAnyOrder("/root/pipe", "/workspace/here");
    Sandbox restored =
        engine.restore(m.id(), SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).build());
    TreeListing.Tree after = TreeListing.of(sandboxes.runtime, restored);
    assertThat(after.entries().get("/root/pipe")).startsWith("fifo|644|0:0|");
    assertThat(after.entries().get("/workspace/here")).startsWith("fifo|600|0:0|");
  }

  @Test
  void changingOneFileInA300MibTreeUploadsOnlyTheChunksAroundIt() {
    Sandbox s = busybox();
    sh(
        s,
        "mkdir -p /w && for i in $(seq 1 30); do head -c 10485760 /dev/urandom > /w/f$i; done;"
            + " echo small > /w/f15.txt");
    Manifest first = engine.capture(s, null, "one");
    assertThat(first.uploadedBytes()).isGreaterThan(300L << 20);
    sh(s, "echo changed > /w/f15.txt");
    Manifest second = engine.capture(s, null, "two");
    assertThat(second.tarBytes()).isEqualTo(first.tarBytes());
    assertThat(second.uploadedBytes()).isPositive().isLessThan(12L << 20);
  }

  @Test
  void aFlippedByteIsFoundByVerifyAndStopsARestoreNamingTheChunk() throws Exception {
    Sandbox s = busybox();
    sh(s, "mkdir /w && head -c 3000000 /dev/urandom > /w/data");
    Manifest m = engine.capture(s, null, null);
    String hash = m.chunks().get(m.chunks().size() / 2).hash();
    corrupt(ChunkStore.key(hash));

    assertThat(engine.verify(m.id())).anySatisfy(p -> assertThat(p).contains(hash));
    int before = sandboxes.runtime.list().size();
    assertThatThrownBy(
            () -> engine.restore(m.id(), SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).build()))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining(hash);
    assertThat(sandboxes.runtime.list()).hasSize(before);
  }

  @Test
  void aSnapshotOfAnotherImageIsRefused() {
    Sandbox s = busybox();
    sh(s, "echo x > /x");
    Manifest m = engine.capture(s, null, null);
    assertThatThrownBy(
            () -> engine.restore(m.id(), SandboxSpec.newBuilder("stepbox/python:bookworm").build()))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("restore it into the same image")
        .extracting(e -> ((SnapshotException) e).reason())
        .isEqualTo(SnapshotException.Reason.WRONG_IMAGE);
  }

  @Test
  void gcKeepsEveryReferencedChunkAndFreesTheRest() {
    Sandbox s = busybox();
    sh(s, "mkdir /w && head -c 3000000 /dev/urandom > /w/a");
    Manifest a = engine.capture(s, null, null);
    sh(s, "rm /w/a && head -c 3000000 /dev/urandom > /w/b");
    Manifest b = engine.capture(s, null, null);
    engine.delete(a.id());
    var report = engine.gc(Duration.ZERO, List.of(), false);
    assertThat(report.chunksRemoved()).isPositive();
    assertThat(engine.verify(b.id())).isEmpty();
    assertThat(engine.list()).extracting(Manifest::id).containsExactly(b.id());
  }

  /** Flips one byte of a stored blob. */
  void corrupt(String key) throws Exception {
    byte[] data;
    try (var in = store().get(key).orElseThrow()) {
      data = in.readAllBytes();
    }
    data[data.length / 2] ^= 0x40;
    store().put(key, data);
  }
}
