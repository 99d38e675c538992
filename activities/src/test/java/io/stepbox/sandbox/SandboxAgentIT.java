package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.step.ExecOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent as PID 1: what it runs comes from nowhere in the image, and nothing a command does to
 * its own file descriptors or output confuses it or the worker.
 */
class SandboxAgentIT {
  private static final String PYTHON = "stepbox/python:bookworm";
  private final SandboxFixture fx = new SandboxFixture();

  @AfterEach
  void cleanUp() {
    fx.removeAll();
    fx.assertNothingLeft();
    fx.close();
  }

  private CommandResult argv(Sandbox s, String... argv) {
    return fx.runtime.exec(s, ExecRequest.newBuilder(List.of(argv)).build());
  }

  @Test
  void coreutilsWorkInThePythonImage() {
    Sandbox s = fx.runtime.create(SandboxSpec.newBuilder(PYTHON).build());
    CommandResult r =
        fx.sh(
            s,
            "ls -la / >/dev/null && stat -c %s /etc/passwd && find /etc -maxdepth 0 -printf '%m\\n'"
                + " && cp -a /etc /workspace/etc && ls /workspace/etc/passwd");
    assertThat(r.stderr()).isEmpty();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.stdout()).endsWith("755\n/workspace/etc/passwd\n");
  }

  @Test
  void runsArgvWithoutAnyShellAndReportsWhatAShellWould() {
    Sandbox s = fx.runtime.create(SandboxSpec.newBuilder(PYTHON).build());
    assertThat(argv(s, "rm", "-f", "/bin/sh", "/bin/sleep", "/usr/bin/find").succeeded()).isTrue();
    assertThat(argv(s, "python3", "-c", "print('no shell needed')").stdout())
        .isEqualTo("no shell needed\n");
    CommandResult missing = argv(s, "no-such-program", "x");
    assertThat(missing.exitCode()).isEqualTo(127);
    assertThat(missing.stderr()).contains("no-such-program: command not found");
    CommandResult noDir =
        fx.runtime.exec(
            s, ExecRequest.newBuilder(List.of("true")).setWorkdir("/no/such/dir").build());
    assertThat(noDir.exitCode()).isEqualTo(126);
    assertThat(noDir.stderr()).contains("/no/such/dir");
  }

  @Test
  void timeoutKillsProcessesThatLeftTheSessionWithSetsid() {
    Sandbox s = fx.busybox();
    CommandResult r =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(
                    List.of(
                        "sh",
                        "-c",
                        "setsid sleep 1001 & setsid sh -c 'sleep 1002 & wait' & echo started; wait"))
                .setTimeout(Duration.ofSeconds(2))
                .build());
    assertThat(r.outcome()).isEqualTo(ExecOutcome.TIMED_OUT);
    assertThat(r.stdout()).isEqualTo("started\n");
    assertThat(fx.sh(s, "ps -o args").stdout()).doesNotContain("sleep 1001", "sleep 1002");
  }

  @Test
  void settleStopsEveryLeftoverAndEmptiesTmpWithoutFollowingSymlinks() {
    Sandbox s = fx.busybox();
    fx.sh(
        s,
        "mkdir -p /workspace/keep && echo mine > /workspace/keep/file"
            + " && ln -s /workspace/keep /tmp/link && echo x > /tmp/plain"
            + " && (setsid sh -c 'while true; do sh -c true; done' >/dev/null 2>&1 &)"
            + " && (cp /bin/busybox /workspace/sleep && /workspace/sleep sleep 1003 &) && echo ok");
    fx.runtime.settle(s);
    assertThat(argv(s, "ps", "-o", "args").stdout())
        .doesNotContain("sleep 1003", "while true")
        .contains("stepbox-agent");
    assertThat(fx.sh(s, "ls -A /tmp; cat /workspace/keep/file").stdout()).isEqualTo("mine\n");
  }

  @Test
  void garbageWrittenIntoEveryDescriptorConfusesNothing() {
    Sandbox s = fx.busybox();
    CommandResult r =
        fx.sh(
            s,
            "for fd in 0 1 2 3 4 5 6 7 8 9 10 11 12; do"
                + "  head -c 20000 /dev/urandom >&$fd 2>/dev/null;"
                + "  printf 'SBX\\013\\0\\0\\0\\0\\0\\0\\0\\1\\0\\0\\0\\2{}' >&$fd 2>/dev/null;"
                + " done;"
                + " for f in /proc/1/fd/0 /proc/1/fd/1 /proc/1/fd/2; do"
                + "  echo garbage > $f 2>/dev/null && echo reached $f;"
                + " done; exit 7");
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.stdout()).doesNotContain("reached /proc/1");
    assertThat(fx.sh(s, "echo still fine").stdout()).isEqualTo("still fine\n");
  }

  @Test
  void aFloodingCommandDoesNotStallAnotherOne() throws Exception {
    Sandbox s = fx.busybox();
    CompletableFuture<CommandResult> flood =
        CompletableFuture.supplyAsync(
            () ->
                fx.runtime.exec(
                    s,
                    ExecRequest.newBuilder(List.of("yes", "flood"))
                        .setTimeout(Duration.ofSeconds(20))
                        .setOutputLimit(1024)
                        .build()));
    // The flood is running: its output reaches the worker while the other command runs.
    CommandResult other = argv(s, "echo", "beside the flood");
    assertThat(other.stdout()).isEqualTo("beside the flood\n");
    assertThat(flood).isNotDone();
    CommandResult f = flood.get();
    assertThat(f.outcome()).isEqualTo(ExecOutcome.TIMED_OUT);
    assertThat(f.stdoutBytes()).isGreaterThan(1 << 20);
    assertThat(new String(f.stdoutTail(), StandardCharsets.UTF_8)).contains("flood\n");
  }

  @Test
  void anImageOfOneStaticBinaryRunsArgvCommands() throws Exception {
    String image = "stepbox/test-only-busybox:" + fx.workerId;
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "d=$(mktemp -d) && cp /bin/busybox $d/busybox && tar -C $d -c busybox"
                    + " | docker import --change 'LABEL stepbox.test=true' - "
                    + image
                    + " >/dev/null; rc=$?; rm -rf $d; exit $rc")
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    try {
      Sandbox s = fx.runtime.create(SandboxSpec.newBuilder(image).setWorkdir("/").build());
      CommandResult r = argv(s, "/busybox", "echo", "one binary, no shell");
      assertThat(r.stdout()).isEqualTo("one binary, no shell\n");
      assertThat(argv(s, "/busybox", "ls", "/").stdout()).contains("busybox");
    } finally {
      fx.removeAll();
      new ProcessBuilder("docker", "rmi", "-f", image).start().waitFor();
    }
  }
}
