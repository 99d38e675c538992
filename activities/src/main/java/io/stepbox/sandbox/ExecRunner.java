package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.stepbox.sandbox.SandboxException.Reason;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command in a sandbox: streams its output with bounded tails, enforces the timeout by
 * killing the command's whole session, and tells an exit from a timeout from an OOM kill.
 */
final class ExecRunner {
  /**
   * The command runs under {@code sh -c} that records its pid first. Under docker exec the
   * command leads its own session, so every process it starts (unless it calls setsid itself)
   * shares that session id: the kill script walks /proc and kills the session.
   */
  private static final String WRAPPER = "echo $$ >\"$0\" 2>/dev/null; exec \"$@\"";

  /**
   * With stdin: docker does not pass on the end of an attached stdin, so the command reads it
   * through {@code head -c N}, which ends the pipe after exactly the bytes sent.
   */
  private static final String STDIN_WRAPPER =
      "echo $$ >\"$0\" 2>/dev/null; n=$1; shift; head -c \"$n\" | \"$@\"";

  private static final String KILL_SESSION = """
      p=$(cat "$0" 2>/dev/null) || exit 0
      for round in 1 2 3 4 5; do
        found=
        for s in /proc/[0-9]*/stat; do
          read -r line < "$s" 2>/dev/null || continue
          set -- ${line##*) }
          if [ "$4" = "$p" ]; then d=${s%/stat}; kill -9 "${d#/proc/}" 2>/dev/null; found=1; fi
        done
        [ -z "$found" ] && break
      done
      rm -f "$0"
      """;

  private static final Duration KILL_GRACE = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final DockerErrors errors;

  ExecRunner(DockerClient docker, DockerErrors errors) {
    this.docker = docker;
    this.errors = errors;
  }

  ExecResult run(String containerId, ExecRequest request, OutputListener listener) {
    long start = System.nanoTime();
    String pidFile = "/dev/shm/.stepbox-exec-" + HexFormat.of().toHexDigits(
        ThreadLocalRandom.current().nextLong());
    List<String> argv = new ArrayList<>(request.stdin() == null
        ? List.of("/bin/sh", "-c", WRAPPER, pidFile)
        : List.of("/bin/sh", "-c", STDIN_WRAPPER, pidFile, Integer.toString(request.stdin().length)));
    argv.addAll(request.command());
    ExecCreateCmd create = docker.execCreateCmd(containerId)
        .withCmd(argv.toArray(String[]::new))
        .withAttachStdout(true)
        .withAttachStderr(true)
        .withAttachStdin(request.stdin() != null)
        .withEnv(request.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    if (request.workdir() != null) {
      create.withWorkingDir(request.workdir());
    }
    String execId;
    try {
      execId = create.exec().getId();
    } catch (RuntimeException e) {
      throw notRunningOr(containerId, errors.translate("exec in sandbox " + containerId, e));
    }
    Output output = new Output(request.outputLimit(), listener);
    boolean timedOut;
    try {
      var start0 = docker.execStartCmd(execId);
      if (request.stdin() != null) {
        start0.withStdIn(new ByteArrayInputStream(request.stdin()));
      }
      start0.exec(output);
      timedOut = !output.finishes(request.timeout());
      if (timedOut) {
        killSession(containerId, pidFile);
        if (!output.finishes(KILL_GRACE)) {
          output.close(); // a daemon escaped the session and holds the stream open
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killSession(containerId, pidFile);
      throw new SandboxException(Reason.ENGINE, "exec interrupted; the command was killed", e);
    } catch (java.io.IOException e) {
      throw new SandboxException(Reason.ENGINE, "exec: closing the output stream failed", e);
    }
    if (output.listenerFailure != null) {
      killSession(containerId, pidFile);
      throw output.listenerFailure;
    }
    Long exit = inspectExit(execId);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (timedOut) {
      return output.result(ExecOutcome.TIMED_OUT, exit == null ? 137 : exit.intValue(), took);
    }
    if (exit == null || exit == 137 || output.streamFailure != null) {
      InspectContainerResponse.ContainerState state = containerState(containerId);
      if (!Boolean.TRUE.equals(state.getRunning())) {
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
          return output.result(ExecOutcome.OOM_KILLED, 137, took);
        }
        throw new SandboxException(Reason.GONE, "sandbox " + containerId + " stopped while the "
            + "command ran (exit code " + state.getExitCodeLong() + "): it may have reached its "
            + "lifetime or been removed");
      }
      if (output.streamFailure != null) {
        throw errors.translate("exec in sandbox " + containerId, output.streamFailure);
      }
    }
    return output.result(ExecOutcome.EXITED, exit == null ? -1 : exit.intValue(), took);
  }

  private Long inspectExit(String execId) {
    try {
      return docker.inspectExecCmd(execId).exec().getExitCodeLong();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private InspectContainerResponse.ContainerState containerState(String containerId) {
    try {
      return docker.inspectContainerCmd(containerId).exec().getState();
    } catch (RuntimeException e) {
      throw errors.translate("inspect sandbox " + containerId, e);
    }
  }

  private SandboxException notRunningOr(String containerId, SandboxException e) {
    if (e.getMessage().contains("is not running")) {
      return new SandboxException(Reason.GONE, "sandbox " + containerId + " is not running: "
          + "it reached its lifetime or was killed; create a new one", e);
    }
    return e;
  }

  /** Kills the session of the command; quiet when it already ended. */
  private void killSession(String containerId, String pidFile) {
    try {
      String id = docker.execCreateCmd(containerId)
          .withCmd("/bin/sh", "-c", KILL_SESSION, pidFile).exec().getId();
      docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>())
          .awaitCompletion(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // The sandbox is gone or the engine is: nothing is left to kill in it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Receives frames: bounded tails per stream plus the caller's listener. */
  private static final class Output extends ResultCallback.Adapter<Frame> {
    private final TailBuffer stdout;
    private final TailBuffer stderr;
    private final OutputListener listener;
    private volatile RuntimeException listenerFailure;
    private volatile RuntimeException streamFailure;

    Output(int limit, OutputListener listener) {
      this.stdout = new TailBuffer(limit);
      this.stderr = new TailBuffer(limit);
      this.listener = listener;
    }

    @Override
    public void onNext(Frame frame) {
      byte[] data = frame.getPayload();
      boolean err = frame.getStreamType() == StreamType.STDERR;
      synchronized (this) {
        (err ? stderr : stdout).write(data, 0, data.length);
      }
      if (listenerFailure == null) {
        try {
          listener.onOutput(
              err ? OutputListener.Stream.STDERR : OutputListener.Stream.STDOUT, data, 0, data.length);
        } catch (RuntimeException e) {
          listenerFailure = e;
        }
      }
    }

    /** Waits for the stream to end; a stream failure counts as an end and is kept. */
    boolean finishes(Duration timeout) throws InterruptedException {
      try {
        return awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        if (streamFailure == null) {
          streamFailure = e;
        }
        return true;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      streamFailure = throwable instanceof RuntimeException r ? r : new RuntimeException(throwable);
      super.onError(throwable);
    }

    synchronized ExecResult result(ExecOutcome outcome, int exitCode, Duration took) {
      return new ExecResult(outcome, exitCode, stdout.toByteArray(), stderr.toByteArray(),
          stdout.total(), stderr.total(), took);
    }
  }
}
