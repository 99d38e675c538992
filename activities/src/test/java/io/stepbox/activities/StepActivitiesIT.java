package io.stepbox.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.BlobStore;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.StepLimits;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step activity on real gVisor and the local store, called directly (no Temporal). */
class StepActivitiesIT {
  @TempDir Path dir;
  SandboxFixture sandboxes;
  BlobStore blobs;
  SnapshotEngine snapshots;
  WarmPool warm;
  StepActivitiesImpl steps;

  @BeforeEach
  void setUp() {
    sandboxes = new SandboxFixture();
    blobs = new LocalBlobStore(dir.resolve("blobs"));
    snapshots = new SnapshotEngine(sandboxes.runtime, blobs, new ObjectMapper(), Clock.systemUTC());
    warm = new WarmPool(sandboxes.runtime, Clock.systemUTC(), Duration.ofMinutes(1));
    steps =
        new StepActivitiesImpl(
            sandboxes.runtime,
            snapshots,
            blobs,
            warm,
            "own-queue",
            Map.of("TOKEN", "s3cr3t"),
            2,
            sandboxes.workerId,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() {
    warm.close();
    snapshots.close();
    blobs.close();
    sandboxes.removeAll();
    sandboxes.assertNothingLeft();
    sandboxes.close();
  }

  static StepRequest request(
      String step, String base, String command, boolean keepWarm, String warmId) {
    return new StepRequest(
        "task-1",
        step,
        "default",
        SandboxFixture.BUSYBOX,
        base,
        command,
        Map.of("GREETING", "hi"),
        List.of("TOKEN"),
        null,
        StepLimits.DEFAULTS,
        null,
        List.of(),
        keepWarm,
        warmId);
  }

  String blob(String key) throws Exception {
    try (InputStream in = blobs.get(key).orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void eachStepStartsFromThePreviousSnapshotAndStoresItsFullOutput() throws Exception {
    StepResult first =
        steps.runStep(
            request(
                "one",
                null,
                "mkdir /w && echo $GREETING > /w/a && seq 1 5000; echo err >&2",
                false,
                null));
    assertThat(first.succeeded()).isTrue();
    assertThat(first.snapshotId()).isNotNull();
    assertThat(first.stdoutTail().length()).isLessThanOrEqualTo(StepResult.TAIL_BYTES);
    assertThat(blob(first.stdoutRef())).startsWith("1\n2\n").endsWith("5000\n");
    assertThat(blob(first.stderrRef())).isEqualTo("err\n");
    assertThat(sandboxes.runtime.list()).isEmpty();

    StepResult second =
        steps.runStep(
            request(
                "two",
                first.snapshotId(),
                "cat /w/a; test \"$TOKEN\" = s3cr3t && echo \"token $TOKEN\" >&2; exit 3",
                false,
                null));
    assertThat(second.exitCode()).isEqualTo(3);
    assertThat(second.stdoutTail()).isEqualTo("hi\n");
    assertThat(second.stderrTail())
        .as("secret values never reach the result")
        .isEqualTo("token ***\n");
    assertThat(second.snapshotId()).isNotEqualTo(first.snapshotId());
  }

  @Test
  void whatACommandLeavesRunningIsStoppedBeforeTheSnapshotAndTheNextStep() {
    StepResult first =
        steps.runStep(
            request(
                "one",
                null,
                "mkdir /w && (while true; do date >> /w/busy; done) >/dev/null 2>&1 & echo x > /tmp/t",
                true,
                null));
    assertThat(first.succeeded()).isTrue();
    StepResult second =
        steps.runStep(
            request(
                "two",
                first.snapshotId(),
                "n=$(wc -l < /w/busy); sleep 1; test $n = $(wc -l < /w/busy) && test ! -e /tmp/t",
                false,
                first.warmSandboxId()));
    assertThat(second.phases().restoreMillis()).as("ran on the kept sandbox").isZero();
    assertThat(second.exitCode()).as(second.stderrTail()).isZero();
  }

  @Test
  void aKeptSandboxServesTheNextStepWithoutARestoreAndIsReleased() {
    StepResult first = steps.runStep(request("one", null, "echo 1 > /x", true, null));
    assertThat(first.warmQueue()).isEqualTo("own-queue");
    assertThat(warm.size()).isEqualTo(1);
    StepResult second =
        steps.runStep(request("two", first.snapshotId(), "cat /x", true, first.warmSandboxId()));
    assertThat(second.stdoutTail()).isEqualTo("1\n");
    assertThat(second.phases().restoreMillis()).isZero();
    assertThat(second.warmSandboxId()).isEqualTo(first.warmSandboxId());
    steps.releaseWarm(second.warmSandboxId());
    assertThat(sandboxes.runtime.list()).isEmpty();
  }

  @Test
  void aWarmSandboxAtAnotherSnapshotIsNotUsed() {
    StepResult first = steps.runStep(request("one", null, "echo 1 > /x", true, null));
    StepResult failed =
        steps.runStep(
            request("two", first.snapshotId(), "echo 2 > /x; exit 1", true, first.warmSandboxId()));
    // An approach restarts from the pre-step snapshot: the kept sandbox moved on, so it restores.
    StepResult retry =
        steps.runStep(request("two", first.snapshotId(), "cat /x", false, failed.warmSandboxId()));
    assertThat(retry.stdoutTail()).isEqualTo("1\n");
    assertThat(retry.phases().restoreMillis()).isPositive();
    assertThat(warm.size()).isZero();
  }

  @Test
  void badRequestsAreFinalFailuresThatNameTheProblem() {
    assertThatThrownBy(() -> steps.runStep(request("one", null, " ", false, null)))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("run: must not be empty")
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue());
    var noSecret =
        new StepRequest(
            "t",
            "s",
            "default",
            SandboxFixture.BUSYBOX,
            null,
            "true",
            Map.of(),
            List.of("MISSING"),
            null,
            StepLimits.DEFAULTS,
            null,
            List.of(),
            false,
            null);
    assertThatThrownBy(() -> steps.runStep(noSecret))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("secret MISSING is not set");
    var workerCredential =
        new StepRequest(
            "t",
            "s",
            "default",
            SandboxFixture.BUSYBOX,
            null,
            "true",
            Map.of(),
            List.of("AWS_SECRET_ACCESS_KEY"),
            null,
            StepLimits.DEFAULTS,
            null,
            List.of(),
            false,
            null);
    assertThatThrownBy(() -> steps.runStep(workerCredential))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("one of the worker's own credentials");
    assertThat(sandboxes.runtime.list()).isEmpty();
  }

  @Test
  void exportsCopyPathsOutOfTheFinalSnapshot() throws Exception {
    StepResult r =
        steps.runStep(
            request("one", null, "mkdir -p /w/out && echo patch > /w/out/0001.patch", false, null));
    var exported =
        steps.exportPaths(
            new ExportRequest(
                "task-1", SandboxFixture.BUSYBOX, r.snapshotId(), List.of("/w/out", "/w/none")));
    assertThat(exported.missing()).containsExactly("/w/none");
    try (InputStream in = blobs.get(exported.ref()).orElseThrow();
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      List<String> names = new java.util.ArrayList<>();
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
      assertThat(names).contains("w/out/0001.patch");
    }
    assertThat(sandboxes.runtime.list()).isEmpty();
  }
}
