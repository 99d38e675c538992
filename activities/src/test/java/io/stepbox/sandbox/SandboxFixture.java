package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A runtime on the real local dockerd with a worker id of its own. {@link #close()} removes every
 * container that carries that worker id (by label, not by remembered ids) and checks that no runsc
 * process of them is left.
 */
public final class SandboxFixture implements AutoCloseable {
  public static final String DOCKER_HOST =
      System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
  public static final String BUSYBOX = "stepbox/base:busybox";

  public final String workerId;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final DockerSandboxRuntime runtime;

  public SandboxFixture() {
    this(Clock.systemUTC());
  }

  SandboxFixture(Clock clock) {
    this(clock, "it-" + UUID.randomUUID().toString().substring(0, 8));
  }

  SandboxFixture(Clock clock, String workerId) {
    this.workerId = workerId;
    runtime = DockerSandboxRuntime.connect(DOCKER_HOST, workerId, registry, clock);
  }

  /** A fixture whose sandboxes' egress proxies follow {@code egress}, secrets from {@code env}. */
  public SandboxFixture(io.stepbox.egress.EgressSettings egress, java.util.Map<String, String> env) {
    this.workerId = "it-" + UUID.randomUUID().toString().substring(0, 8);
    runtime = DockerSandboxRuntime.connect(DOCKER_HOST, workerId, registry, egress, env);
  }

  /** A sandbox of the tiny image with defaults and this fixture's worker id. */
  public Sandbox busybox() {
    return runtime.create(SandboxSpec.newBuilder(BUSYBOX).build());
  }

  public CommandResult sh(Sandbox sandbox, String line) {
    return runtime.exec(sandbox, ExecRequest.shell(line));
  }

  /** Containers that carry this fixture's worker id right now. */
  List<SandboxInfo> mine() {
    return runtime.list().stream().filter(s -> s.worker().orElse("").equals(workerId)).toList();
  }

  public void assertNothingLeft() {
    assertThat(mine()).as("containers of worker " + workerId).isEmpty();
    var scanned = StrayProcesses.scan();
    var existing = runtime.allContainerIds();
    assertThat(
            scanned.values().stream()
                .flatMap(seen -> seen.ids().stream())
                .filter(id -> !existing.contains(id))
                .toList())
        .as("runsc processes whose container is gone")
        .isEmpty();
  }

  /** Removes every container of this fixture's worker id. */
  public void removeAll() {
    for (SandboxInfo s : mine()) {
      runtime.remove(s.id());
    }
    runtime.reapEgress();
  }

  @Override
  public void close() {
    removeAll();
    runtime.close();
  }
}
