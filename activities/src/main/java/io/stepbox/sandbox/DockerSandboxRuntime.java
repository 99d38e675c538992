package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stepbox.egress.EgressException;
import io.stepbox.egress.EgressProxies;
import io.stepbox.egress.EgressSettings;
import io.stepbox.sandbox.SandboxException.Reason;
import io.stepbox.workflows.egress.EgressRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link SandboxRuntime} on a Docker engine, gVisor by default. Each sandbox is one container whose
 * first process is stepbox's agent, mounted read-only from the host; commands and helper work go
 * to it over the container's attached stdin and stdout. Thread-safe.
 */
public final class DockerSandboxRuntime implements SandboxRuntime {
  private final DockerClient docker;
  private final String dockerHost;
  private final String workerId;
  private final String workerRun;
  private final Clock clock;
  private final ExecRunner execRunner;
  private final SandboxMetrics metrics;
  private final DockerLayers layers;
  private final AgentChannels channels;
  private final EngineReads engine;
  private final EngineCalls calls;
  private final ContainerStarts starts;
  private final PooledStarts pooled;
  private final SandboxListing listing;
  private final EgressNetwork egressNetwork;
  private final EgressProxies egress;
  private java.util.concurrent.ScheduledExecutorService egressWatch;

  DockerSandboxRuntime(
      DockerClient docker,
      String dockerHost,
      String workerId,
      MeterRegistry registry,
      Clock clock,
      AgentBinary agent,
      EgressProxies egress) {
    this.docker = docker;
    this.dockerHost = dockerHost;
    this.workerId = workerId;
    this.workerRun = UUID.randomUUID().toString().substring(0, 8);
    this.clock = clock;
    DockerErrors errors = new DockerErrors(dockerHost);
    this.channels = new AgentChannels(dockerHost);
    this.execRunner = new ExecRunner(docker, errors, channels);
    this.layers = new DockerLayers(docker);
    this.metrics = new SandboxMetrics(registry);
    this.engine = new EngineReads(docker, dockerHost);
    this.calls = new EngineCalls(errors, metrics);
    SpecChecks checks = new SpecChecks(docker, errors, dockerHost);
    this.egress = egress;
    this.egressNetwork = new EgressNetwork(docker, errors, egress.settings().network());
    this.starts =
        new ContainerStarts(
            docker,
            errors,
            agent,
            checks,
            layers,
            engine,
            metrics,
            clock,
            workerId,
            workerRun,
            new ContainerStarts.Egress(egressNetwork, egress, this::watchEgress));
    this.pooled =
        new PooledStarts(docker, calls, starts, execRunner, channels, agent, this::destroy);
    this.listing = new SandboxListing(docker, calls);
  }

  /**
   * Connects to the engine at {@code dockerHost} (for example {@code unix:///var/run/docker.sock}).
   * Nothing is sent until the first call.
   *
   * @param workerId labels every sandbox this runtime makes; the reaper removes sandboxes of the
   *     same worker id made by an earlier run
   */
  public static DockerSandboxRuntime connect(
      String dockerHost, String workerId, MeterRegistry registry) {
    return connect(dockerHost, workerId, registry, Clock.systemUTC(), AgentBinary.fromEnvironment());
  }

  /**
   * {@link #connect(String, String, MeterRegistry)} with egress proxies set up by {@code settings},
   * taking secrets' values from {@code secretSource} (the worker's environment).
   */
  public static DockerSandboxRuntime connect(
      String dockerHost,
      String workerId,
      MeterRegistry registry,
      EgressSettings settings,
      Map<String, String> secretSource) {
    return connect(
        dockerHost,
        workerId,
        registry,
        Clock.systemUTC(),
        AgentBinary.fromEnvironment(),
        new EgressProxies(settings, workerId, secretSource));
  }

  static DockerSandboxRuntime connect(
      String dockerHost, String workerId, MeterRegistry registry, Clock clock) {
    return connect(dockerHost, workerId, registry, clock, AgentBinary.fromEnvironment());
  }

  static DockerSandboxRuntime connect(
      String dockerHost,
      String workerId,
      MeterRegistry registry,
      Clock clock,
      AgentBinary agent) {
    EgressProxies egress =
        new EgressProxies(EgressSettings.fromEnvironment(), workerId, System.getenv());
    return connect(dockerHost, workerId, registry, clock, agent, egress);
  }

  static DockerSandboxRuntime connect(
      String dockerHost,
      String workerId,
      MeterRegistry registry,
      Clock clock,
      AgentBinary agent,
      EgressProxies egress) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    return new DockerSandboxRuntime(
        DockerClientImpl.getInstance(config, http),
        dockerHost,
        workerId,
        registry,
        clock,
        agent,
        egress);
  }

  public String workerId() {
    return workerId;
  }

  /** Identifies this process's run of the worker; see {@link SandboxLabels#WORKER_RUN}. */
  public String workerRun() {
    return workerRun;
  }

  public String dockerHost() {
    return dockerHost;
  }

  @Override
  public Sandbox create(SandboxSpec spec) {
    return create(spec, null);
  }

  @Override
  public Sandbox create(SandboxSpec spec, LayerPreparer preparer) {
    return timed(
        "create sandbox from " + spec.image(),
        metrics.create,
        () -> starts.start(spec, SandboxNames.fresh(), Map.of(), preparer));
  }

  /** Starts, hands over and renames the sandboxes of {@link SandboxPool}. */
  PooledStarts pooled() {
    return pooled;
  }

  @Override
  public SandboxLayer layer(Sandbox sandbox) {
    return timed("inspect sandbox " + sandbox.shortId(), null, () -> layers.layer(sandbox.id()));
  }

  @Override
  public String imageId(String image) {
    return timed("inspect image " + image, null, () -> layers.imageId(image));
  }

  @Override
  public CommandResult exec(Sandbox sandbox, ExecRequest request, OutputListener listener) {
    CommandResult result =
        timed(
            "exec in sandbox " + sandbox.shortId(),
            metrics.exec,
            () -> execRunner.run(sandbox, request, listener));
    metrics.outcome(result.outcome());
    return result;
  }

  @Override
  public void settle(Sandbox sandbox) {
    timed(
        "settle sandbox " + sandbox.shortId(),
        null,
        () -> channels.get(sandbox.id()).call("settle", AgentChannel.JSON.createObjectNode(), HELPER));
  }

  @Override
  public List<SandboxFifo> findFifos(Sandbox sandbox, List<String> directories) {
    return timed(
        "look for fifos in sandbox " + sandbox.shortId(),
        null,
        () -> AgentFiles.findFifos(channels.get(sandbox.id()), directories, HELPER));
  }

  @Override
  public void makeFifos(Sandbox sandbox, List<SandboxFifo> fifos) {
    if (fifos.isEmpty()) {
      return;
    }
    timed(
        "make fifos in sandbox " + sandbox.shortId(),
        null,
        () -> {
          AgentFiles.makeFifos(channels.get(sandbox.id()), fifos, HELPER);
          return null;
        });
  }

  /** How long a helper operation of the agent may take. */
  static final Duration HELPER = Duration.ofMinutes(2);

  @Override
  public void copyIn(Sandbox sandbox, String directory, InputStream tar) {
    SpecChecks.archivePath(directory);
    timed(
        "copy into sandbox " + sandbox.shortId() + ":" + directory,
        null,
        () -> {
          docker
              .copyArchiveToContainerCmd(sandbox.id())
              .withRemotePath(directory)
              .withTarInputStream(tar)
              .exec();
          return null;
        });
  }

  @Override
  public InputStream copyOut(Sandbox sandbox, String path) {
    SpecChecks.archivePath(path);
    return timed(
        "copy out of sandbox " + sandbox.shortId() + ":" + path,
        null,
        () -> {
          try {
            return docker.copyArchiveFromContainerCmd(sandbox.id(), path).exec();
          } catch (RuntimeException e) {
            if (DockerErrors.noSuch(e)) {
              throw new SandboxException(
                  Reason.NOT_FOUND, path + " does not exist in sandbox " + sandbox.shortId(), e);
            }
            throw e;
          }
        });
  }

  @Override
  public void destroy(Sandbox sandbox) {
    timed(
        "remove sandbox " + sandbox.shortId(),
        metrics.destroy,
        () -> {
          channels.forget(sandbox.id());
          if (remove(sandbox.id())) {
            metrics.active.decrementAndGet();
          }
          stopEgress(sandbox.id());
          return null;
        });
  }

  @Override
  public List<EgressRecord> egress(Sandbox sandbox) {
    try {
      return egress.drain(sandbox.id());
    } catch (EgressException e) {
      throw ContainerStarts.egressFailed(e);
    }
  }

  /**
   * Ends a proxy soon after its sandbox stops (its lifetime over, or killed): the sandbox's address
   * is free then, and the proxy admits its clients by address.
   */
  private synchronized void watchEgress() {
    if (egressWatch != null) {
      return;
    }
    egressWatch =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stepbox-egress-watch");
              t.setDaemon(true);
              return t;
            });
    egressWatch.scheduleWithFixedDelay(
        this::stopProxiesOfStoppedSandboxes, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void stopProxiesOfStoppedSandboxes() {
    for (String id : egress.proxied()) {
      try {
        if (!listing.running(id)) {
          egress.stop(id);
        }
      } catch (RuntimeException e) {
        // The engine did not answer: the next round, or the reaper, tries again.
      }
    }
  }

  /** Ends the proxy of a removed sandbox, if it had one (made by this process or another). */
  private void stopEgress(String id) {
    egress.stop(id);
  }

  /** Ends egress proxies whose sandbox is gone (left by a dead worker or CLI); returns their ids. */
  List<String> reapEgress() {
    return egress.reap(allContainerIds());
  }

  /** Force-removes a container; false when it was already gone. */
  boolean remove(String id) {
    return starts.remove(id);
  }

  @Override
  public Sandbox find(String idOrPrefix) {
    return listing.find(idOrPrefix);
  }

  @Override
  public List<SandboxInfo> list() {
    return listing.list();
  }

  /** Version, runtimes and storage of the engine; throws {@code ENGINE} when it is unreachable. */
  public EngineInfo engineInfo() {
    return timed("read engine info", null, engine::info);
  }

  /** The arguments dockerd passes to runtime {@code name} (runsc's platform, for one). */
  public List<String> runtimeArgs(String name) {
    return timed("read engine info", null, () -> engine.runtimeArgs(name));
  }

  /** True when the engine has the image locally (stepbox never pulls). */
  public boolean hasImage(String image) {
    return timed("inspect image " + image, null, () -> engine.hasImage(image));
  }

  /** When a stopped container stopped; empty when it is gone or the time cannot be read. */
  Optional<Instant> finishedAt(String id) {
    return listing.finishedAt(id);
  }

  /** Full ids of every container on the engine, stepbox's or not. */
  Set<String> allContainerIds() {
    return listing.allContainerIds();
  }

  SandboxMetrics metrics() {
    return metrics;
  }

  Clock clock() {
    return clock;
  }

  private <T> T timed(String action, Timer timer, Supplier<T> call) {
    return calls.timed(action, timer, call);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (egressWatch != null) {
        egressWatch.shutdownNow();
      }
    }
    channels.close();
    try {
      docker.close();
    } catch (IOException e) {
      // Closing a connection pool: nothing to do about a failure here.
    }
  }

  static boolean isLocalEngine(String dockerHost) {
    return dockerHost.startsWith("unix://") && Files.exists(Path.of(dockerHost.substring(7)));
  }
}
