package io.stepbox.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.stepbox.sandbox.SandboxException.Reason;
import io.stepbox.workflows.ExitCodes;
import io.stepbox.workflows.step.ExecOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command in a sandbox through its agent: streams the output with bounded tails, lets the
 * agent enforce the timeout (it kills everything the command started), and tells an exit from a
 * timeout from an OOM kill, which ends the whole sandbox under gVisor.
 */
final class ExecRunner {
  /**
   * Past the command's own timeout, how long the agent has to report its kill. It reports once
   * every process the command started is gone and their output is drained: after a fork bomb on a
   * busy 2-core host under gVisor that took longer than the quarter minute this once was.
   */
  private static final Duration KILL_GRACE = Duration.ofSeconds(60);

  /** How long dockerd may take to show a sandbox that died as stopped. */
  private static final Duration STOP_SETTLE = Duration.ofSeconds(5);

  private final DockerClient docker;
  private final DockerErrors errors;
  private final AgentChannels channels;

  ExecRunner(DockerClient docker, DockerErrors errors, AgentChannels channels) {
    this.docker = docker;
    this.errors = errors;
    this.channels = channels;
  }

  CommandResult run(Sandbox sandbox, ExecRequest request, OutputListener listener) {
    long start = System.nanoTime();
    AgentChannel ch = channel(sandbox);
    long id = ch.newId();
    Output output = new Output(request.outputLimit(), listener);
    ch.register(id, output);
    try {
      ch.send(AgentFrames.START, id, AgentChannel.bytes(startRequest(sandbox, request)));
      if (request.stdin() != null) {
        byte[] in = request.stdin();
        for (int off = 0; off < in.length; off += AgentFrames.STDIN_CHUNK) {
          ch.send(AgentFrames.STDIN, id, in, off, Math.min(AgentFrames.STDIN_CHUNK, in.length - off));
        }
        ch.send(AgentFrames.STDIN, id, new byte[0]);
      }
      JsonNode exit = await(sandbox, ch, id, output, request.timeout().plus(KILL_GRACE));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (exit == null) {
        return lostChannel(sandbox, output, took);
      }
      ExecOutcome outcome =
          exit.path("timedOut").asBoolean() ? ExecOutcome.TIMED_OUT : ExecOutcome.EXITED;
      return output.result(outcome, exit.path("exitCode").asInt(-1), took);
    } finally {
      ch.unregister(id);
    }
  }

  private AgentChannel channel(Sandbox sandbox) {
    try {
      return channels.get(sandbox.id());
    } catch (SandboxException e) {
      if (e.reason() == Reason.GONE || e.reason() == Reason.NOT_FOUND) {
        throw e;
      }
      // The attach failed: a sandbox that died answers as not running, else it is the engine.
      var state = containerStateOnceStopped(sandbox.id(), Duration.ZERO);
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw gone(sandbox, state);
      }
      throw e;
    }
  }

  private static ObjectNode startRequest(Sandbox sandbox, ExecRequest request) {
    ObjectNode start = AgentChannel.JSON.createObjectNode();
    request.command().forEach(start.putArray("argv")::add);
    ObjectNode env = start.putObject("env");
    request.env().forEach(env::put);
    if (request.workdir() != null) {
      start.put("cwd", request.workdir());
    }
    start.put("stdin", request.stdin() != null);
    start.put("timeoutMs", request.timeout().toMillis());
    // Only gVisor counts RLIMIT_NPROC per sandbox; under runc it would count the host's processes.
    String processes = sandbox.labels().getOrDefault(SandboxLabels.PROCESSES, "unlimited");
    if (!processes.equals("unlimited")) {
      start.put("nproc", Long.parseLong(processes));
    }
    return start;
  }

  /** The EXIT reply, or null when the channel ended first. */
  private JsonNode await(
      Sandbox sandbox, AgentChannel ch, long id, Output output, Duration backstop) {
    try {
      JsonNode exit = output.done.get(backstop.toMillis(), TimeUnit.MILLISECONDS);
      if (output.listenerFailure != null) {
        kill(ch, id);
        throw output.listenerFailure;
      }
      return exit;
    } catch (InterruptedException e) {
      kill(ch, id);
      Thread.currentThread().interrupt();
      throw new SandboxException(Reason.ENGINE, "exec interrupted; the command was killed", e);
    } catch (TimeoutException e) {
      kill(ch, id);
      throw new SandboxException(
          Reason.ENGINE,
          "the agent of sandbox "
              + sandbox.shortId()
              + " did not report the command's end "
              + KILL_GRACE.toSeconds()
              + "s after its timeout; the command was killed",
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        return null;
      }
      throw e.getCause() instanceof SandboxException s ? s : ch.lost(e.getCause());
    }
  }

  private static void kill(AgentChannel ch, long id) {
    try {
      ch.send(AgentFrames.KILL, id, new byte[0]);
    } catch (SandboxException e) {
      // The channel is gone: so is what it could have killed, or the sandbox will be removed.
    }
  }

  /**
   * The channel ended while the command ran: under gVisor an OOM kills the whole sandbox, and
   * dockerd may take a moment to show it.
   */
  private CommandResult lostChannel(Sandbox sandbox, Output output, Duration took) {
    var state = containerStateOnceStopped(sandbox.id(), STOP_SETTLE);
    if (!Boolean.TRUE.equals(state.getRunning())) {
      if (Boolean.TRUE.equals(state.getOOMKilled())) {
        return output.result(ExecOutcome.OOM_KILLED, ExitCodes.OOM_KILLED, took);
      }
      throw gone(sandbox, state);
    }
    channels.forget(sandbox.id());
    throw new SandboxException(
        Reason.ENGINE,
        "exec in sandbox "
            + sandbox.shortId()
            + ": the connection to its agent broke while the command ran; the sandbox is still"
            + " running");
  }

  private static SandboxException gone(
      Sandbox sandbox, InspectContainerResponse.ContainerState state) {
    return new SandboxException(
        Reason.GONE,
        "sandbox "
            + sandbox.id()
            + " stopped while the command ran (exit code "
            + state.getExitCodeLong()
            + "): it may have reached its lifetime or been removed");
  }

  /** The container's state, polled for up to {@code settle} while it still shows running. */
  private InspectContainerResponse.ContainerState containerStateOnceStopped(
      String containerId, Duration settle) {
    long deadline = System.nanoTime() + settle.toNanos();
    try {
      while (true) {
        var state = docker.inspectContainerCmd(containerId).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning()) || System.nanoTime() > deadline) {
          return state;
        }
        Thread.sleep(50); // polling dockerd's view; there is no event to wait on here
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Reason.ENGINE, "interrupted while inspecting " + containerId, e);
    } catch (RuntimeException e) {
      throw errors.translate("inspect sandbox " + containerId, e);
    }
  }

  /** Receives one command's frames: bounded tails per stream plus the caller's listener. */
  private static final class Output implements AgentChannel.Receiver {
    private final TailBuffer stdout;
    private final TailBuffer stderr;
    private final OutputListener listener;
    private volatile RuntimeException listenerFailure;
    final CompletableFuture<JsonNode> done = new CompletableFuture<>();

    Output(int limit, OutputListener listener) {
      this.stdout = new TailBuffer(limit);
      this.stderr = new TailBuffer(limit);
      this.listener = listener;
    }

    @Override
    public void onFrame(AgentFrames.Frame f) {
      switch (f.type()) {
        case AgentFrames.STDOUT, AgentFrames.STDERR -> output(f);
        case AgentFrames.EXIT -> done.complete(AgentChannel.parse(f.payload()));
        case AgentFrames.ERROR ->
            done.completeExceptionally(
                new AgentChannel.AgentException(
                    "exec: " + AgentChannel.parse(f.payload()).path("error").asText()));
        default -> {
          // A type the agent never sends for a command: ignored.
        }
      }
    }

    private void output(AgentFrames.Frame f) {
      boolean err = f.type() == AgentFrames.STDERR;
      byte[] data = f.payload();
      synchronized (this) {
        (err ? stderr : stdout).write(data, 0, data.length);
      }
      if (listenerFailure == null) {
        try {
          listener.onOutput(
              err ? OutputListener.Stream.STDERR : OutputListener.Stream.STDOUT,
              data,
              0,
              data.length);
        } catch (RuntimeException e) {
          listenerFailure = e;
          done.complete(null); // stop waiting: the caller cannot take more output
        }
      }
    }

    @Override
    public void onClosed(IOException cause) {
      done.completeExceptionally(cause);
    }

    synchronized CommandResult result(ExecOutcome outcome, int exitCode, Duration took) {
      return new CommandResult(
          outcome,
          exitCode,
          stdout.toByteArray(),
          stderr.toByteArray(),
          stdout.total(),
          stderr.total(),
          took);
    }
  }
}
