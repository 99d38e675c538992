package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.step.ExecOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sandbox runtime against the real dockerd with runsc: behaviour of commands and output. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DockerSandboxRuntimeIT {
  private final SandboxFixture fx = new SandboxFixture();

  @AfterEach
  void cleanUp() {
    fx.close();
  }

  @Test
  void runsUnderGvisorAndReportsExitCodes() {
    Sandbox s = fx.busybox();
    assertThat(fx.sh(s, "dmesg").stdout()).contains("gVisor");
    CommandResult ok = fx.sh(s, "true");
    CommandResult three = fx.sh(s, "exit 3");
    assertThat(ok.outcome()).isEqualTo(ExecOutcome.EXITED);
    assertThat(ok.exitCode()).isZero();
    assertThat(three.outcome()).isEqualTo(ExecOutcome.EXITED);
    assertThat(three.exitCode()).isEqualTo(3);
    fx.runtime.destroy(s);
    fx.assertNothingLeft();
  }

  @Test
  void keepsStdoutAndStderrApart() {
    Sandbox s = fx.busybox();
    CommandResult r = fx.sh(s, "echo to-out; echo to-err >&2; echo more-out");
    assertThat(r.stdout()).isEqualTo("to-out\nmore-out\n");
    assertThat(r.stderr()).isEqualTo("to-err\n");
    assertThat(r.truncated()).isFalse();
  }

  @Test
  void streamsOutputWhileTheCommandRuns() throws Exception {
    Sandbox s = fx.busybox();
    CountDownLatch sawReady = new CountDownLatch(1);
    StringBuilder seen = new StringBuilder();
    OutputListener listener =
        (stream, data, off, len) -> {
          synchronized (seen) {
            seen.append(new String(data, off, len, StandardCharsets.UTF_8));
            if (seen.toString().contains("ready")) {
              sawReady.countDown();
            }
          }
        };
    // The command waits for a file that the test creates only after it saw "ready" streamed.
    CompletableFuture<CommandResult> running =
        CompletableFuture.supplyAsync(
            () ->
                fx.runtime.exec(
                    s,
                    ExecRequest.shell(
                        "echo ready; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo done"),
                    listener));
    assertThat(sawReady.await(60, TimeUnit.SECONDS)).as("saw output before the end").isTrue();
    assertThat(running).isNotDone();
    fx.sh(s, "touch /tmp/go");
    CommandResult r = running.get(60, TimeUnit.SECONDS);
    assertThat(r.stdout()).isEqualTo("ready\ndone\n");
    assertThat(seen.toString()).isEqualTo("ready\ndone\n");
  }

  @Test
  void timeoutKillsTheWholeProcessTree() {
    Sandbox s = fx.busybox();
    CommandResult r =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(
                    List.of(
                        "/bin/sh",
                        "-c",
                        "sleep 1001 & (sleep 1002 & wait) & (set -m; sleep 1003 & wait) & echo started; wait"))
                .setTimeout(Duration.ofSeconds(2))
                .build());
    assertThat(r.outcome()).isEqualTo(ExecOutcome.TIMED_OUT);
    assertThat(r.stdout()).isEqualTo("started\n");
    // sleep 1003 runs in a process group of its own (job control) but in the same session.
    assertThat(fx.sh(s, "ps -o args").stdout())
        .doesNotContain("sleep 1001", "sleep 1002", "sleep 1003");
    assertThat(fx.sh(s, "echo alive").stdout()).isEqualTo("alive\n");
  }

  @Test
  void feedsStdinAndClosesIt() {
    Sandbox s = fx.busybox();
    CommandResult r =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(List.of("sh", "-c", "wc -c; cat"))
                .setStdin("hello\n".getBytes(StandardCharsets.UTF_8))
                .setTimeout(Duration.ofSeconds(30))
                .build());
    assertThat(r.outcome()).isEqualTo(ExecOutcome.EXITED);
    assertThat(r.stdout().trim()).isEqualTo("6");
  }

  @Test
  void keepsOnlyTheTailOfLargeOutput() {
    Sandbox s = fx.busybox();
    CommandResult r =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(List.of("sh", "-c", "seq 1 100000; echo last-line"))
                .setOutputLimit(1024)
                .build());
    assertThat(r.truncated()).isTrue();
    assertThat(r.stdoutTail()).hasSize(1024);
    assertThat(r.stdout()).endsWith("100000\nlast-line\n");
    assertThat(r.stdoutBytes()).isGreaterThan(500_000);
  }

  @Test
  void copiesTarStreamsInAndOut() throws Exception {
    Sandbox s = fx.busybox();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      byte[] body = "payload\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("in/hello.txt");
      e.setSize(body.length);
      e.setMode(0640);
      out.putArchiveEntry(e);
      out.write(body);
      out.closeArchiveEntry();
    }
    fx.runtime.copyIn(s, "/root", new ByteArrayInputStream(tar.toByteArray()));
    assertThat(fx.sh(s, "cat /root/in/hello.txt; stat -c %a /root/in/hello.txt").stdout())
        .isEqualTo("payload\n640\n");
    fx.sh(s, "echo generated > /root/in/out.txt");
    try (InputStream in = fx.runtime.copyOut(s, "/root/in/out.txt");
        TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
      TarArchiveEntry e = archive.getNextEntry();
      assertThat(e.getName()).isEqualTo("out.txt");
      assertThat(new String(archive.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("generated\n");
    }
    assertThatThrownBy(() -> fx.runtime.copyOut(s, "/tmp/x"))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("/tmp")
        .hasMessageContaining("/workspace");
  }

  @Test
  void hasNoNetworkInterfaceButLoopbackByDefault() {
    Sandbox s = fx.busybox();
    String dev = fx.sh(s, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").stdout();
    assertThat(dev.trim()).isEqualTo("lo");
  }

  @Test
  void cannotSeeHostFilesOrTheDockerSocket() throws Exception {
    Path secret = Files.createTempFile("stepbox-host-secret-", ".txt");
    try {
      Files.writeString(secret, "host only");
      Sandbox s = fx.busybox();
      CommandResult r =
          fx.sh(
              s,
              "cat "
                  + secret
                  + "; find / -xdev -name '"
                  + secret.getFileName()
                  + "' 2>/dev/null | wc -l; test -e /var/run/docker.sock; echo $?");
      assertThat(r.stdout()).doesNotContain("host only").isEqualTo("0\n1\n");
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void sandboxesCannotSeeEachOthersFiles() {
    Sandbox a = fx.busybox();
    Sandbox b = fx.busybox();
    String marker = "marker-" + UUID.randomUUID();
    fx.sh(a, "echo secret > /tmp/" + marker);
    assertThat(fx.sh(a, "cat /tmp/" + marker).stdout()).isEqualTo("secret\n");
    assertThat(fx.sh(b, "find / -name '" + marker + "' 2>/dev/null | wc -l").stdout().trim())
        .isEqualTo("0");
  }

  @Test
  void labelsEverySandboxAndCountsMetrics() {
    Sandbox s =
        fx.runtime.create(
            SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
                .setTaskId("task-1")
                .setStepId("clone")
                .build());
    fx.sh(s, "true");
    SandboxInfo info = fx.mine().get(0);
    assertThat(info.labels())
        .containsEntry("stepbox.managed", "true")
        .containsEntry("stepbox.worker", fx.workerId)
        .containsEntry("stepbox.task", "task-1")
        .containsEntry("stepbox.step", "clone")
        .containsKey("stepbox.expires");
    fx.runtime.destroy(s);
    assertThat(fx.registry.get("stepbox.sandbox.create").timer().count()).isEqualTo(1);
    assertThat(fx.registry.get("stepbox.sandbox.exec").timer().count()).isEqualTo(1);
    assertThat(fx.registry.get("stepbox.sandbox.destroy").timer().count()).isEqualTo(1);
    assertThat(fx.registry.get("stepbox.sandbox.active").gauge().value()).isZero();
  }
}
