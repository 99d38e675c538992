package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepbox.sandbox.SandboxException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
  private final DockerErrors errors;
  private final ExecRunner execRunner;
  private final SandboxMetrics metrics;
  private final DockerLayers layers;
  private final AgentBinary agent;
  private final AgentChannels channels;
  private final SpecChecks checks;
  private final EngineReads engine;

  DockerSandboxRuntime(
      DockerClient docker,
      String dockerHost,
      String workerId,
      MeterRegistry registry,
      Clock clock,
      AgentBinary agent) {
    this.docker = docker;
    this.dockerHost = dockerHost;
    this.workerId = workerId;
    this.workerRun = UUID.randomUUID().toString().substring(0, 8);
    this.clock = clock;
    this.errors = new DockerErrors(dockerHost);
    this.agent = agent;
    this.channels = new AgentChannels(dockerHost);
    this.execRunner = new ExecRunner(docker, errors, channels);
    this.layers = new DockerLayers(docker);
    this.metrics = new SandboxMetrics(registry);
    this.checks = new SpecChecks(docker, errors, dockerHost);
    this.engine = new EngineReads(docker, dockerHost);
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
        DockerClientImpl.getInstance(config, http), dockerHost, workerId, registry, clock, agent);
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
        () -> {
          Instant expires = clock.instant().plus(spec.lifetime()).plusSeconds(5);
          Map<String, String> labels = SandboxLabels.forSpec(spec, workerId, workerRun, expires);
          String id = start(spec, labels, SandboxNames.fresh(), preparer);
          return new Sandbox(id, spec.image(), labels, expires);
        });
  }

  /**
   * Starts a sandbox for {@link SandboxPool}: made from {@code spec} with no task or step, named as
   * pooled, with the agent's channel already open. It lives {@code shelfLife} beyond the spec's
   * lifetime, so that one taken within that time still has the whole lifetime ahead.
   */
  Pooled startPooled(SandboxSpec spec, Duration shelfLife) {
    return timed(
        "start pooled sandbox from " + spec.image(),
        null,
        () -> {
          SandboxSpec bare =
              spec.toBuilder()
                  .setTaskId(null)
                  .setStepId(null)
                  .setLifetime(spec.lifetime().plus(shelfLife))
                  .build();
          Instant expires = clock.instant().plus(bare.lifetime()).plusSeconds(5);
          Map<String, String> labels = SandboxLabels.forSpec(bare, workerId, workerRun, expires);
          labels.put(SandboxLabels.POOL, "true");
          String name = SandboxNames.pooled();
          String id = start(bare, labels, name, null);
          Sandbox sandbox = new Sandbox(id, spec.image(), labels, expires);
          try {
            // A sandbox's first command pays for what gVisor and the agent set up once (threads
            // among them); the agent's own binary pays it here, before anyone waits on it.
            CommandResult warm =
                execRunner.run(
                    sandbox,
                    ExecRequest.newBuilder(List.of(agent.entrypoint(), "--version"))
                        .setTimeout(HELPER)
                        .build(),
                    OutputListener.NONE);
            if (!warm.succeeded()) {
              throw new SandboxException(
                  Reason.GONE, "the agent of pooled sandbox " + sandbox.shortId() + " failed");
            }
            // The agent starts the next command's shim after a command ends; wait for it here.
            channels.get(id).call("ready", AgentChannel.JSON.createObjectNode(), HELPER);
          } catch (RuntimeException e) {
            destroy(sandbox);
            throw e;
          }
          return new Pooled(sandbox, name);
        });
  }

  /** A started sandbox waiting in the pool, and its name then. */
  record Pooled(Sandbox sandbox, String name) {}

  /**
   * Hands a pooled sandbox to {@code spec}'s task and step: returns it with their labels once its
   * agent is known to be there. {@link #rename} then gives it the name that carries them.
   *
   * @throws SandboxException when its agent does not answer
   */
  Sandbox claim(Pooled pooled, SandboxSpec spec) {
    Sandbox s = pooled.sandbox();
    // A ping, not the channel's state: the channel learns of a removed container only later.
    channels.get(s.id()).call("ping", AgentChannel.JSON.createObjectNode(), CLAIM_PING);
    Map<String, String> labels = new java.util.LinkedHashMap<>(s.labels());
    spec.task().ifPresent(t -> labels.put(SandboxLabels.TASK, t));
    spec.step().ifPresent(t -> labels.put(SandboxLabels.STEP, t));
    return new Sandbox(s.id(), s.image(), labels, s.expiresAt());
  }

  private static final Duration CLAIM_PING = Duration.ofSeconds(5);

  /** Renames a taken pooled sandbox so that its name carries its task and step (SandboxNames). */
  void rename(Pooled pooled, SandboxSpec spec) {
    timed(
        "rename sandbox " + pooled.sandbox().shortId(),
        null,
        () -> {
          docker
              .renameContainerCmd(pooled.sandbox().id())
              .withName(SandboxNames.taken(pooled.name(), spec.taskId(), spec.stepId()))
              .exec();
          return null;
        });
  }

  /** Validates, creates, prepares and starts a container; nothing is left when it fails. */
  private String start(
      SandboxSpec spec, Map<String, String> labels, String name, LayerPreparer preparer) {
    spec.validate();
    agent.check();
    SandboxSpec checked = checks.mounts(spec);
    checks.network(spec.network());
    String id = createContainer(checked, labels, name);
    if (preparer != null) {
      try {
        preparer.prepare(layers.layer(id));
      } catch (RuntimeException e) {
        removeQuietly(id);
        throw new PreparerFailed(e);
      }
    }
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      removeQuietly(id);
      StrayProcesses.killFor(Set.of(id));
      throw errors.translate("start sandbox from " + spec.image(), e);
    }
    metrics.active.incrementAndGet();
    return id;
  }

  private String createContainer(SandboxSpec spec, Map<String, String> labels, String name) {
    var create =
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
            .withHostConfig(HostConfigs.of(spec, agent));
    if (spec.workdir() != null) {
      create.withWorkingDir(spec.workdir());
    }
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
      if (DockerErrors.unknownRuntime(e)) {
        throw new SandboxException(
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
      throw errors.translate("create sandbox from " + spec.image(), e);
    }
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
  private static final Duration HELPER = Duration.ofMinutes(2);

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
          return null;
        });
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

  @Override
  public Sandbox find(String idOrPrefix) {
    List<SandboxInfo> matches = list().stream().filter(s -> s.id().startsWith(idOrPrefix)).toList();
    if (idOrPrefix.isBlank() || matches.isEmpty()) {
      throw new SandboxException(
          Reason.NOT_FOUND,
          "sandbox '"
              + idOrPrefix
              + "' does not exist; "
              + "stepbox sandbox ls shows the sandboxes there are");
    }
    if (matches.size() > 1) {
      throw SandboxException.invalid(
          "sandbox '"
              + idOrPrefix
              + "' is ambiguous: it matches "
              + matches.size()
              + " sandboxes; give more of the id");
    }
    SandboxInfo info = matches.get(0);
    return new Sandbox(
        info.id(), info.image(), info.labels(), info.expiresAt().orElse(Instant.MAX));
  }

  @Override
  public List<SandboxInfo> list() {
    return timed(
        "list sandboxes",
        null,
        () ->
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true"))
                .exec()
                .stream()
                .map(DockerSandboxRuntime::info)
                .toList());
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
  java.util.Optional<Instant> finishedAt(String id) {
    try {
      String finished = docker.inspectContainerCmd(id).exec().getState().getFinishedAt();
      return finished == null
          ? java.util.Optional.empty()
          : java.util.Optional.of(Instant.parse(finished));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Full ids of every container on the engine, stepbox's or not. */
  Set<String> allContainerIds() {
    return timed(
        "list containers",
        null,
        () ->
            docker.listContainersCmd().withShowAll(true).exec().stream()
                .map(Container::getId)
                .collect(Collectors.toSet()));
  }

  /** Labels include the task and step a pooled sandbox's name took on (see SandboxNames). */
  private static SandboxInfo info(Container c) {
    Map<String, String> labels =
        new java.util.LinkedHashMap<>(c.getLabels() == null ? Map.of() : c.getLabels());
    String[] names = c.getNames();
    String name = names != null && names.length > 0 ? names[0] : null;
    SandboxNames.labels(name).forEach(labels::putIfAbsent);
    return new SandboxInfo(
        c.getId(),
        c.getImage(),
        c.getState() == null ? "unknown" : c.getState(),
        Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated()),
        labels,
        SandboxNames.isPooled(name));
  }

  SandboxMetrics metrics() {
    return metrics;
  }

  Clock clock() {
    return clock;
  }

  /** Carries a {@link LayerPreparer}'s own failure past the engine-error translation. */
  private static final class PreparerFailed extends RuntimeException {
    PreparerFailed(RuntimeException cause) {
      super(cause);
    }
  }

  /** Runs an engine call under a timer (when given), translating and counting failures. */
  private <T> T timed(String action, io.micrometer.core.instrument.Timer timer, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (PreparerFailed e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (RuntimeException e) {
      SandboxException s = errors.translate(action, e);
      metrics.failure(s.reason());
      throw s;
    } finally {
      if (timer != null) {
        timer.record(Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  @Override
  public void close() {
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
