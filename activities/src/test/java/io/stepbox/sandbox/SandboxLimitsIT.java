package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.step.ExecOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Limits and their outcomes against the real dockerd with runsc: memory, processes, output. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SandboxLimitsIT {
  private final SandboxFixture fx = new SandboxFixture();

  @AfterEach
  void cleanUp() {
    fx.close();
  }

  @Test
  void memoryLimitEndsInAnOomOutcome() {
    Sandbox s =
        fx.runtime.create(
            SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setMemoryBytes(128L << 20).build());
    CommandResult r =
        fx.sh(
            s,
            // gVisor keeps /tmp in its own memory: filling it grows the sandbox past its limit.
            // (One big allocation instead may just fail with ENOMEM inside gVisor.)
            "echo before; dd if=/dev/zero of=/tmp/fill bs=1M count=400; echo after");
    assertThat(r.outcome()).isEqualTo(ExecOutcome.OOM_KILLED);
    assertThat(r.stdout()).doesNotContain("after");
    assertThatThrownBy(() -> fx.sh(s, "true"))
        .isInstanceOf(SandboxException.class)
        .satisfies(
            e ->
                assertThat(((SandboxException) e).reason())
                    .isEqualTo(SandboxException.Reason.GONE));
    fx.runtime.destroy(s);
    fx.assertNothingLeft();
  }

  @Test
  void forkBombIsStoppedByTheProcessLimitAndTheHostStaysHealthy() throws Exception {
    Sandbox s =
        fx.runtime.create(SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setProcesses(64).build());
    CommandResult bomb =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(List.of("sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 60"))
                .setTimeout(Duration.ofSeconds(10))
                .build());
    assertThat(bomb.outcome()).isEqualTo(ExecOutcome.TIMED_OUT);
    assertThat(bomb.stderr()).contains("can't fork");
    // The sandbox survives the bomb and its processes are gone after the kill.
    assertThat(fx.sh(s, "echo alive; ps | wc -l").stdout()).startsWith("alive\n");
    assertThat(awaitProcessCountBelow(s, 10, Duration.ofSeconds(30))).isTrue();
    // Host: still forks, and a new sandbox still starts and runs.
    assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
    Sandbox other = fx.busybox();
    assertThat(fx.sh(other, "echo fine").stdout()).isEqualTo("fine\n");
  }

  /** Polls the sandbox's process table: killed processes are reaped by its init a moment later. */
  private boolean awaitProcessCountBelow(Sandbox s, int limit, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      String count = fx.sh(s, "ps | wc -l").stdout().trim();
      if (!count.isEmpty() && Integer.parseInt(count) < limit) {
        return true;
      }
    }
    return false;
  }

  @Test
  void gigabyteOfOutputKeepsHeapBounded() throws Exception {
    Process child = ChildJvm.start("64m", OutputProbe.class, fx.workerId);
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      line = out.readLine();
    }
    assertThat(child.waitFor(4, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as("child JVM with a 64 MiB heap").isZero();
    assertThat(line)
        .contains(
            "outcome=EXITED",
            "exit=0",
            "stdoutBytes=1073741835",
            "streamed=1073741835",
            "tail=1048576",
            "truncated=true",
            "endsWithMarker=true");
    fx.assertNothingLeft();
  }
}
