package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.sandbox.SandboxException.Reason;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad requests give a clear error and leave nothing behind, on the real engine. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxErrorsIT {
  private final SandboxFixture fx = new SandboxFixture();

  @AfterEach
  void nothingLeft() {
    fx.assertNothingLeft();
    fx.close();
  }

  private void assertRefused(SandboxSpec spec, Reason reason, String... words) {
    assertThatThrownBy(() -> fx.runtime.create(spec))
        .isInstanceOf(SandboxException.class)
        .hasMessageContainingAll(words)
        .extracting(e -> ((SandboxException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void missingImage() {
    assertRefused(
        SandboxSpec.newBuilder("stepbox/no-such-image:1").build(),
        Reason.IMAGE_NOT_FOUND,
        "stepbox/no-such-image:1",
        "never pulls",
        "./stepbox setup");
  }

  @Test
  void invalidLimits() {
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setMemoryBytes(1 << 20).build(),
        Reason.INVALID_SPEC,
        "memory",
        "at least 32m");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setCpus(0).build(),
        Reason.INVALID_SPEC,
        "cpus");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setCpus(64).build(),
        Reason.INVALID_SPEC,
        "CPU");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setDiskBytes(1L << 30).build(),
        Reason.INVALID_SPEC,
        "disk",
        "xfs");
  }

  @Test
  void unknownAndUnsafeRuntimes() {
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .setRuntime("no-such-runtime")
            .setAllowUnsafeRuntime(true)
            .build(),
        Reason.RUNTIME,
        "no-such-runtime",
        "not registered",
        "runsc");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setRuntime("runc").build(),
        Reason.RUNTIME,
        "runc",
        "not gVisor",
        "allowUnsafeRuntime");
  }

  @Test
  void networksThatRouteOutAndTheDockerSocketAreRefused() {
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .setNetwork(new NetworkPolicy.Internal("bridge"))
            .build(),
        Reason.INVALID_SPEC,
        "bridge",
        "not internal");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .setNetwork(new NetworkPolicy.Internal("stepbox-no-such-net"))
            .build(),
        Reason.INVALID_SPEC,
        "does not exist",
        "docker network create --internal");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .addMount(new Mount(Path.of("/var/run"), "/host-run"))
            .build(),
        Reason.INVALID_SPEC,
        "Docker socket");
    assertRefused(
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .addMount(new Mount(Path.of("/no/such/dir"), "/x"))
            .build(),
        Reason.INVALID_SPEC,
        "/no/such/dir",
        "does not exist");
  }
}
