package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxSpecTest {
  private static final SandboxSpec DEFAULTS = SandboxSpec.newBuilder("img").build();

  @Test
  void defaultsAreTheSafeOnes() {
    assertThat(DEFAULTS.runtime()).isEqualTo("runsc");
    assertThat(DEFAULTS.isGvisor()).isTrue();
    assertThat(DEFAULTS.network()).isEqualTo(NetworkPolicy.NONE);
    assertThat(DEFAULTS.mounts()).isEmpty();
    assertThat(DEFAULTS.lifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(DEFAULTS.validate()).isSameAs(DEFAULTS);
  }

  @Test
  void refusesANonGvisorRuntimeWithoutOptIn() {
    SandboxSpec runc = DEFAULTS.toBuilder().setRuntime("runc").build();
    assertThatThrownBy(runc::validate)
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("allowUnsafeRuntime")
        .extracting(e -> ((SandboxException) e).reason())
        .isEqualTo(SandboxException.Reason.RUNTIME);
    assertThat(runc.toBuilder().setAllowUnsafeRuntime(true).build().validate().isGvisor())
        .isFalse();
  }

  @Test
  void namesTheBadField() {
    assertBad(DEFAULTS.toBuilder().setImage(" ").build(), "image:");
    assertBad(DEFAULTS.toBuilder().setCpus(-1).build(), "cpus:");
    assertBad(DEFAULTS.toBuilder().setMemoryBytes(1 << 20).build(), "memory:");
    assertBad(DEFAULTS.toBuilder().setProcesses(0).build(), "processes:");
    assertBad(DEFAULTS.toBuilder().setDiskBytes(-1).build(), "disk:");
    assertBad(DEFAULTS.toBuilder().setWorkdir("relative").build(), "workdir:");
    assertBad(DEFAULTS.toBuilder().setLifetime(Duration.ZERO).build(), "lifetime:");
    assertBad(DEFAULTS.toBuilder().putEnv("1BAD", "x").build(), "env:");
    assertBad(DEFAULTS.toBuilder().setTaskId("has space").build(), "task:");
    DEFAULTS.toBuilder().setTaskId("schedule-nightly-2026-11-27T03:00:00Z").build().validate();
    assertThatThrownBy(() -> Mount.parse("no-colon"))
        .hasMessageContaining("HOST_PATH:CONTAINER_PATH");
    assertThatThrownBy(() -> new Mount(Path.of("/x"), "rel")).hasMessageContaining("absolute");
  }

  private static final AgentBinary AGENT = new AgentBinary(Path.of("/opt/agent"));

  private static void assertBad(SandboxSpec spec, String field) {
    assertThatThrownBy(spec::validate)
        .isInstanceOf(SandboxException.class)
        .hasMessageStartingWith(field)
        .extracting(e -> ((SandboxException) e).retryable())
        .isEqualTo(false);
  }

  @Test
  void hostConfigIsHardened() {
    HostConfig host =
        HostConfigs.of(
            DEFAULTS.toBuilder()
                .setProcesses(100)
                .addMount(new Mount(Path.of("/srv/repo"), "/src/repo"))
                .build(),
            AGENT,
            "stepbox-egress");
    assertThat(host.getRuntime()).isEqualTo("runsc");
    assertThat(host.getNetworkMode()).isEqualTo("none");
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd())
        .containsExactlyInAnyOrder(
            Capability.CHOWN,
            Capability.DAC_OVERRIDE,
            Capability.FOWNER,
            Capability.FSETID,
            Capability.SETUID,
            Capability.SETGID,
            Capability.KILL);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getMemory()).isEqualTo(1L << 30);
    assertThat(host.getMemorySwap()).isEqualTo(1L << 30);
    assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
    assertThat(host.getUlimits())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getName()).isEqualTo("nproc");
              assertThat(u.getHardLong()).isEqualTo(100 + HostConfigs.CONTROL_HEADROOM);
            });
    assertThat(host.getPidsLimit()).isGreaterThan(100L * 9);
    assertThat(host.getBinds())
        .extracting(b -> b.getPath() + ":" + b.getVolume().getPath() + ":" + b.getAccessMode())
        .containsExactly("/opt/agent:/.stepbox:ro", "/srv/repo:/src/repo:ro");
    assertThat(host.getInit()).isFalse();
    assertThat(host.getStorageOpt()).isNull();
  }

  @Test
  void internalNetworkAndDiskLimitReachTheEngine() {
    HostConfig host =
        HostConfigs.of(
            DEFAULTS.toBuilder()
                .setNetwork(new NetworkPolicy.Internal("agents"))
                .setDiskBytes(1L << 30)
                .build(),
            AGENT,
            "stepbox-egress");
    assertThat(host.getNetworkMode()).isEqualTo("agents");
    assertThat(host.getStorageOpt()).containsEntry("size", Long.toString(1L << 30));
  }

  @Test
  void egressJoinsTheEgressNetwork() {
    HostConfig host =
        HostConfigs.of(
            DEFAULTS.toBuilder()
                .setNetwork(
                    new NetworkPolicy.Egress(
                        io.stepbox.workflows.egress.EgressPolicy.allowing(
                            java.util.List.of("pypi.example.org"))))
                .build(),
            AGENT,
            "stepbox-egress");
    assertThat(host.getNetworkMode()).isEqualTo("stepbox-egress");
  }

  @Test
  void runcGetsAPidsLimitInsteadOfNproc() {
    HostConfig host =
        HostConfigs.of(
            DEFAULTS.toBuilder()
                .setRuntime("runc")
                .setAllowUnsafeRuntime(true)
                .setProcesses(50)
                .build(),
            AGENT,
            "stepbox-egress");
    assertThat(host.getUlimits()).isNullOrEmpty();
    assertThat(host.getPidsLimit()).isEqualTo(50L);
    assertThat(List.of(host.getCapAdd())).isNotEmpty();
  }
}
