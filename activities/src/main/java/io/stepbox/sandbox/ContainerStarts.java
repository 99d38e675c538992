package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.egress.EgressException;
import io.stepbox.egress.EgressProxies;
import io.stepbox.sandbox.SandboxException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Validates, creates, prepares and starts the container of one sandbox, labelled for this worker;
 * nothing is left when it fails. Also removes containers. Untimed: the runtime times its callers.
 */
final class ContainerStarts {
  private final DockerClient docker;
  private final DockerErrors errors;
  private final AgentBinary agent;
  private final SpecChecks checks;
  private final DockerLayers layers;
  private final EngineReads engine;
  private final SandboxMetrics metrics;
  private final Clock clock;
  private final String workerId;
  private final String workerRun;
  private final Egress egress;

  /** The egress side of sandbox starts: the network and this runtime's proxies. */
  record Egress(EgressNetwork network, EgressProxies proxies, Runnable onProxyStarted) {}

  ContainerStarts(
      DockerClient docker,
      DockerErrors errors,
      AgentBinary agent,
      SpecChecks checks,
      DockerLayers layers,
      EngineReads engine,
      SandboxMetrics metrics,
      Clock clock,
      String workerId,
      String workerRun,
      Egress egress) {
    this.docker = docker;
    this.errors = errors;
    this.agent = agent;
    this.checks = checks;
    this.layers = layers;
    this.engine = engine;
    this.metrics = metrics;
    this.clock = clock;
    this.workerId = workerId;
    this.workerRun = workerRun;
    this.egress = egress;
  }

  /**
   * Starts a sandbox from {@code spec} named {@code name}, with this worker's labels and {@code
   * extra} ones; it expires a little after the spec's lifetime.
   */
  Sandbox start(
      SandboxSpec spec, String name, Map<String, String> extra, LayerPreparer preparer) {
    Instant expires = clock.instant().plus(spec.lifetime()).plusSeconds(5);
    Map<String, String> labels = SandboxLabels.forSpec(spec, workerId, workerRun, expires);
    labels.putAll(extra);
    String id = start(spec, labels, name, preparer);
    return new Sandbox(id, spec.image(), labels, expires);
  }

  private String start(
      SandboxSpec spec, Map<String, String> labels, String name, LayerPreparer preparer) {
    spec.validate();
    agent.check();
    SandboxSpec checked = checks.mounts(spec);
    checks.network(spec.network());
    EgressProxies.Lease lease = null;
    if (spec.network() instanceof NetworkPolicy.Egress) {
      if (!spec.isGvisor()) {
        // Another runtime's network stack is the host kernel's, where Docker's embedded DNS of
        // an internal network may forward queries out: egress is for gVisor sandboxes only.
        throw SandboxException.invalid(
            "network: egress needs gVisor; runtime '" + spec.runtime() + "' gets none or an"
                + " internal network");
      }
      lease = egressLease();
      checked = withEgress(checked, lease);
    }
    String id;
    try {
      id = create(checked, labels, name);
    } catch (RuntimeException e) {
      if (lease != null) {
        egress.proxies().release(lease);
      }
      throw e;
    }
    try {
      if (preparer != null) {
        prepare(id, preparer);
      }
      run(id, spec);
      if (spec.network() instanceof NetworkPolicy.Egress e) {
        startProxy(id, lease, e);
      }
    } finally {
      if (lease != null) {
        egress.proxies().release(lease); // a started proxy holds the port itself
      }
    }
    metrics.active.incrementAndGet();
    return id;
  }

  private EgressProxies.Lease egressLease() {
    try {
      return egress.proxies().lease(egress.network().ensure());
    } catch (EgressException e) {
      throw egressFailed(e);
    }
  }

  /** The spec with the proxy's variables (the spec's own win) and the CA files mounted. */
  private static SandboxSpec withEgress(SandboxSpec spec, EgressProxies.Lease lease) {
    SandboxSpec.Builder b = spec.toBuilder();
    lease.env().forEach((k, v) -> {
      if (!spec.env().containsKey(k)) {
        b.putEnv(k, v);
      }
    });
    return b.addMount(new Mount(lease.trustDir(), lease.mount())).build();
  }

  /** Binds a proxy to the started sandbox's address; removes the sandbox when that fails. */
  private void startProxy(String id, EgressProxies.Lease lease, NetworkPolicy.Egress e) {
    try {
      String ip = egress.network().addressOf(id);
      egress.proxies().start(lease, id, ip, e.policy());
      egress.onProxyStarted().run();
    } catch (RuntimeException ex) {
      removeQuietly(id);
      StrayProcesses.killFor(Set.of(id));
      throw ex instanceof EgressException ee ? egressFailed(ee) : ex;
    }
  }

  static SandboxException egressFailed(EgressException e) {
    return new SandboxException(
        e.retryable() ? Reason.ENGINE : Reason.INVALID_SPEC, e.getMessage(), e);
  }

  private void prepare(String id, LayerPreparer preparer) {
    try {
      preparer.prepare(layers.layer(id));
    } catch (RuntimeException e) {
      removeQuietly(id);
      throw new EngineCalls.PreparerFailed(e);
    }
  }

  private void run(String id, SandboxSpec spec) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      removeQuietly(id);
      StrayProcesses.killFor(Set.of(id));
      throw errors.translate("start sandbox from " + spec.image(), e);
    }
  }

  private String create(SandboxSpec spec, Map<String, String> labels, String name) {
    CreateContainerCmd create = command(spec, labels, name);
    try {
      return create.exec().getId();
    } catch (NotFoundException e) {
      throw new SandboxException(
          Reason.IMAGE_NOT_FOUND,
          "image '"
              + spec.image()
              + "' is not in "
              + "the local Docker engine, and stepbox never pulls: run ./stepbox setup to build the "
              + "stepbox images, or docker load / docker import it",
          e);
    } catch (RuntimeException e) {
      throw createFailed(spec, e);
    }
  }

  private CreateContainerCmd command(SandboxSpec spec, Map<String, String> labels, String name) {
    CreateContainerCmd create =
        docker
            .createContainerCmd(spec.image())
            .withName(name)
            .withLabels(labels)
            .withEnv(
                spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
            .withEntrypoint(agent.entrypoint())
            .withCmd("--lifetime", Long.toString(spec.lifetime().toSeconds()))
            .withStdinOpen(true)
            .withStdInOnce(false)
            .withHostConfig(HostConfigs.of(spec, agent, egress.network().name()));
    if (spec.workdir() != null) {
      create.withWorkingDir(spec.workdir());
    }
    return create;
  }

  private SandboxException createFailed(SandboxSpec spec, RuntimeException e) {
    if (DockerErrors.unknownRuntime(e)) {
      return new SandboxException(
          Reason.RUNTIME,
          "runtime: '"
              + spec.runtime()
              + "' is not "
              + "registered with dockerd (registered: "
              + engine.registeredRuntimes()
              + "); run "
              + "./stepbox setup to register runsc",
          e);
    }
    return errors.translate("create sandbox from " + spec.image(), e);
  }

  /** Force-removes a container; false when it was already gone. */
  boolean remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().contains("already in progress")) {
        return false;
      }
      throw errors.translate("remove sandbox " + id, e);
    }
  }

  private void removeQuietly(String id) {
    try {
      remove(id);
    } catch (RuntimeException e) {
      // The reaper removes it by label later.
    }
  }
}
