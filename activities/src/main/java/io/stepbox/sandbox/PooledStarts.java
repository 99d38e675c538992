package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import io.stepbox.sandbox.SandboxException.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Starts the sandboxes {@link SandboxPool} keeps, hands them to a task's step and renames them. */
final class PooledStarts {
  private static final Duration CLAIM_PING = Duration.ofSeconds(5);

  /** A started sandbox waiting in the pool, and its name then. */
  record Pooled(Sandbox sandbox, String name) {}

  private final DockerClient docker;
  private final EngineCalls calls;
  private final ContainerStarts starts;
  private final ExecRunner execRunner;
  private final AgentChannels channels;
  private final AgentBinary agent;
  private final Consumer<Sandbox> destroy;

  PooledStarts(
      DockerClient docker,
      EngineCalls calls,
      ContainerStarts starts,
      ExecRunner execRunner,
      AgentChannels channels,
      AgentBinary agent,
      Consumer<Sandbox> destroy) {
    this.docker = docker;
    this.calls = calls;
    this.starts = starts;
    this.execRunner = execRunner;
    this.channels = channels;
    this.agent = agent;
    this.destroy = destroy;
  }

  /**
   * Starts a sandbox made from {@code spec} with no task or step, named as pooled, with the agent's
   * channel already open. It lives {@code shelfLife} beyond the spec's lifetime, so that one taken
   * within that time still has the whole lifetime ahead.
   */
  Pooled start(SandboxSpec spec, Duration shelfLife) {
    return calls.timed(
        "start pooled sandbox from " + spec.image(), null, () -> startNow(spec, shelfLife));
  }

  private Pooled startNow(SandboxSpec spec, Duration shelfLife) {
    SandboxSpec bare =
        spec.toBuilder()
            .setTaskId(null)
            .setStepId(null)
            .setLifetime(spec.lifetime().plus(shelfLife))
            .build();
    String name = SandboxNames.pooled();
    Sandbox sandbox = starts.start(bare, name, Map.of(SandboxLabels.POOL, "true"), null);
    try {
      warm(sandbox);
    } catch (RuntimeException e) {
      destroy.accept(sandbox);
      throw e;
    }
    return new Pooled(sandbox, name);
  }

  private void warm(Sandbox sandbox) {
    // A sandbox's first command pays for what gVisor and the agent set up once (threads among
    // them); the agent's own binary pays it here, before anyone waits on it.
    CommandResult warm =
        execRunner.run(
            sandbox,
            ExecRequest.newBuilder(List.of(agent.entrypoint(), "--version"))
                .setTimeout(DockerSandboxRuntime.HELPER)
                .build(),
            OutputListener.NONE);
    if (!warm.succeeded()) {
      throw new SandboxException(
          Reason.GONE, "the agent of pooled sandbox " + sandbox.shortId() + " failed");
    }
    // The agent starts the next command's shim after a command ends; wait for it here.
    channels
        .get(sandbox.id())
        .call("ready", AgentChannel.JSON.createObjectNode(), DockerSandboxRuntime.HELPER);
  }

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
    Map<String, String> labels = new LinkedHashMap<>(s.labels());
    spec.task().ifPresent(t -> labels.put(SandboxLabels.TASK, t));
    spec.step().ifPresent(t -> labels.put(SandboxLabels.STEP, t));
    return new Sandbox(s.id(), s.image(), labels, s.expiresAt());
  }

  /** Renames a taken pooled sandbox so that its name carries its task and step (SandboxNames). */
  void rename(Pooled pooled, SandboxSpec spec) {
    calls.timed(
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
}
