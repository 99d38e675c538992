package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reaper against the real dockerd: crashed workers, expired sandboxes, stray runsc. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandboxReaperIT {

  @Test
  void sandboxesOfASigkilledJvmAreReapedWhenTheWorkerStartsAgain() throws Exception {
    try (SandboxFixture fx = new SandboxFixture()) {
      Process child = ChildJvm.start("128m", OrphanMaker.class, fx.workerId);
      List<String> ids = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
        for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
          assertThat(line).as("child output").isNotNull();
          ids.add(line.substring("created ".length()));
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(fx.mine()).extracting(SandboxInfo::id).containsExactlyInAnyOrderElementsOf(ids);

      // The same worker id starts again: its first reaper pass removes the earlier run's sandboxes.
      try (SandboxReaper reaper = SandboxReaper.start(fx.runtime, Duration.ofHours(1))) {
        assertThat(fx.mine()).isEmpty();
      }
      fx.assertNothingLeft();
    }
  }

  @Test
  void removesExpiredSandboxesOfAnyWorkerButKeepsLiveOnes() {
    try (SandboxFixture owner = new SandboxFixture();
        SandboxFixture later =
            new SandboxFixture(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30)))) {
      Sandbox shortLived =
          owner.runtime.create(
              SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
                  .setLifetime(Duration.ofMinutes(10))
                  .build());
      Sandbox longLived =
          owner.runtime.create(
              SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
                  .setLifetime(Duration.ofHours(2))
                  .build());
      SandboxReaper.Report report = SandboxReaper.manual(later.runtime, true).reapNow();
      assertThat(report.expired()).contains(shortLived.id()).doesNotContain(longLived.id());
      assertThat(owner.mine()).extracting(SandboxInfo::id).containsExactly(longLived.id());
      assertThat(owner.sh(longLived, "echo still-here").stdout()).isEqualTo("still-here\n");
    }
  }

  @Test
  void endsDockerdsRunscProcessesWhoseContainerIsGoneAndNoOthers() throws Exception {
    String ghost = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).repeat(4);
    // Processes that look like a runsc-gofer left behind for a container dockerd no longer
    // has, and one of another engine (containerd's state root) that must be left alone.
    Process stray = fakeGofer("--root=/var/run/docker/runtime-runc/moby", ghost);
    Process foreign = fakeGofer("--root=/run/containerd/runsc/k8s.io", ghost);
    try (SandboxFixture fx = new SandboxFixture()) {
      Sandbox live = fx.busybox();
      SandboxReaper.Report report = SandboxReaper.manual(fx.runtime, true).reapNow();
      assertThat(report.strayProcesses()).contains(stray.pid()).doesNotContain(foreign.pid());
      assertThat(stray.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(foreign.isAlive()).isTrue();
      assertThat(fx.sh(live, "echo alive").stdout())
          .as("live sandbox untouched")
          .isEqualTo("alive\n");
    } finally {
      stray.destroyForcibly();
      foreign.destroyForcibly();
    }
  }

  private static Process fakeGofer(String root, String containerId) throws Exception {
    return new ProcessBuilder(
            "bash",
            "-c",
            "exec -a runsc-gofer perl -e 'sleep 600' -- "
                + root
                + " --bundle=/run/x/"
                + containerId)
        .start();
  }
}
