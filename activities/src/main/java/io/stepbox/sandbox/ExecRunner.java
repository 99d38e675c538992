package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.stepbox.sandbox.SandboxException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command in a sandbox: streams its output with bounded tails, enforces the timeout by
 * killing the command's whole session, and tells an exit from a timeout from an OOM kill.
 */
final class ExecRunner {
  /**
   * The command runs under {@code sh -c} that records its pid and lowers its own process limit to
   * the sandbox's (the sandbox allows a few more, so that stepbox can still start the kill script
   * when the command used up its processes). Under docker exec the command leads its own session,
   * so every process it starts (unless it calls setsid itself) shares that session id: the kill
   * script walks /proc and kills the session.
   */
  private static final String WRAPPER =
      "echo $$ >\"$0\" 2>/dev/null; "
          + "ulimit -u \"$1\" 2>/dev/null || ulimit -p \"$1\" 2>/dev/null; shift; "
          + "\"$@\"; rc=$?; rm -f \"$0\"; exit $rc";

  /**
   * With stdin: docker does not pass on the end of an attached stdin, so the command reads it
   * through {@code head -c N}, which ends the pipe after exactly the bytes sent.
   */
  private static final String STDIN_WRAPPER =
      "echo $$ >\"$0\" 2>/dev/null; "
          + "ulimit -u \"$1\" 2>/dev/null || ulimit -p \"$1\" 2>/dev/null; n=$2; shift 2; "
          + "head -c \"$n\" | \"$@\"; rc=$?; rm -f \"$0\"; exit $rc";

  private static final String KILL_SESSION =
      """
      # The wrapper may not have written its pid yet when the timeout is very short.
      for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        [ -s "$0" ] && break; sleep 0.1
      done
      read -r p < "$0" 2>/dev/null || exit 0
      # gVisor's /proc/N/stat answers one whole read, not the shell's byte reads: use cat.
      signal_session() {
        cat /proc/[0-9]*/stat 2>/dev/null | {
          none=1
          while read -r line; do
            set -- ${line##*) }
            if [ "$4" = "$p" ]; then kill "-$sig" "${line%% *}" 2>/dev/null; none=0; fi
          done
          exit $none
        }
      }
      # First the process group, with the builtin kill only (no fork: the command may have used
      # up the processes), until the group is empty; forks in flight join it and die next round.
      n=0
      while kill -KILL "-$p" 2>/dev/null && [ "$n" -lt 10000 ]; do n=$((n + 1)); done
      # Then stragglers that left the group but not the session: frozen, so that nothing forks
      # while it is killed, until none is left.
      for round in 1 2 3 4 5 6 7 8 9 10; do
        sig=STOP; signal_session || break
        sig=KILL; signal_session || break
      done
      rm -f "$0"
      """;

  private static final Duration KILL_GRACE = Duration.ofSeconds(10);
  private static final Duration STOP_SETTLE = Duration.ofSeconds(5);
  private static final Duration LIVENESS_SLICE = Duration.ofSeconds(2);

  private final DockerClient docker;
  private final DockerErrors errors;

  ExecRunner(DockerClient docker, DockerErrors errors) {
    this.docker = docker;
    this.errors = errors;
  }

  ExecResult run(Sandbox sandbox, ExecRequest request, OutputListener listener) {
    String containerId = sandbox.id();
    // Only gVisor counts RLIMIT_NPROC per sandbox; under runc it would count the host's processes.
    String processes = sandbox.labels().getOrDefault(SandboxLabels.PROCESSES, "unlimited");
    long start = System.nanoTime();
    String pidFile =
        "/dev/shm/.stepbox-exec-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    List<String> argv =
        new ArrayList<>(
            request.stdin() == null
                ? List.of("/bin/sh", "-c", WRAPPER, pidFile, processes)
                : List.of(
                    "/bin/sh",
                    "-c",
                    STDIN_WRAPPER,
                    pidFile,
                    processes,
                    Integer.toString(request.stdin().length)));
    argv.addAll(request.command());
    ExecCreateCmd create =
        docker
            .execCreateCmd(containerId)
            .withCmd(argv.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withAttachStdin(request.stdin() != null)
            .withEnv(
                request.env().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toList());
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
      timedOut = !awaitWhileRunning(containerId, output, request.timeout());
      if (timedOut) {
        killSession(containerId, pidFile);
        if (!output.finishes(KILL_GRACE)) {
          output.close(); // a daemon escaped the session and holds the stream open
        }
      }
    } catch (InterruptedException e) {
      // Kill with the flag cleared: the engine's NIO socket refuses to work for an interrupted
      // thread. Then close the stream and restore the flag for the caller.
      killSession(containerId, pidFile);
      closeQuietly(output);
      Thread.currentThread().interrupt();
      throw new SandboxException(Reason.ENGINE, "exec interrupted; the command was killed", e);
    } catch (IOException e) {
      throw new SandboxException(Reason.ENGINE, "exec: closing the output stream failed", e);
    }
    if (output.listenerFailure != null) {
      killSession(containerId, pidFile);
      closeQuietly(output);
      throw output.listenerFailure;
    }
    Long exit = inspectExit(execId);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (timedOut) {
      return output.result(ExecOutcome.TIMED_OUT, exit == null ? 137 : exit.intValue(), took);
    }
    if (exit == null || exit >= 128 || output.streamFailure != null) {
      // Under gVisor an OOM kills the whole sandbox; dockerd may take a moment to notice, and
      // the exec record goes with the container. Wait for the engine to settle before judging.
      boolean lost = exit == null || output.streamFailure != null;
      InspectContainerResponse.ContainerState state =
          containerStateOnceStopped(containerId, lost ? STOP_SETTLE : Duration.ZERO);
      if (!lost && Boolean.TRUE.equals(state.getRunning()) && sandboxProcessEnded(state)) {
        // The exec's end reached dockerd before the sandbox's: runsc exec exits 128 when the
        // sandbox dies under it (seen 2 times in 40 OOMs). The sandbox's process is gone already.
        state = containerStateOnceStopped(containerId, STOP_SETTLE);
      }
      if (!Boolean.TRUE.equals(state.getRunning())) {
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
          return output.result(ExecOutcome.OOM_KILLED, 137, took);
        }
        throw new SandboxException(
            Reason.GONE,
            "sandbox "
                + containerId
                + " stopped while the "
                + "command ran (exit code "
                + state.getExitCodeLong()
                + "): it may have reached its "
                + "lifetime or been removed");
      }
      if (lost) {
        throw output.streamFailure != null
            ? errors.translate("exec in sandbox " + containerId, output.streamFailure)
            : new SandboxException(
                Reason.ENGINE,
                "exec in sandbox " + containerId + ": dockerd " + "lost the command's exit code");
      }
    }
    return output.result(ExecOutcome.EXITED, exit == null ? -1 : exit.intValue(), took);
  }

  /**
   * Waits for the output to end, but no longer than the timeout, and not forever when the sandbox
   * dies under the command: dockerd may then leave the attach stream open. After the first slice
   * the container is inspected once per slice.
   *
   * @return false when the timeout passed with the command still running
   */
  private boolean awaitWhileRunning(String containerId, Output output, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (output.finishes(Duration.ofNanos(Math.min(left, LIVENESS_SLICE.toNanos())))) {
        return true;
      }
      if (!Boolean.TRUE.equals(
          containerStateOnceStopped(containerId, Duration.ZERO).getRunning())) {
        output.close();
        return true;
      }
    }
  }

  private static void closeQuietly(Output output) {
    try {
      output.close();
    } catch (IOException e) {
      // The stream is going away either way.
    }
  }

  private Long inspectExit(String execId) {
    try {
      return docker.inspectExecCmd(execId).exec().getExitCodeLong();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether the sandbox's own process (gVisor's sentry, the container's pid as the host sees it)
   * has ended, while dockerd may still show the container running. False when that cannot be told
   * (no pid, no /proc). Needs the host's /proc, as the reaper does (docker-compose.yml runs the
   * worker with {@code pid: host}); elsewhere every pid looks ended, and a command killed by a
   * signal costs a wait of up to {@link #STOP_SETTLE} before its exit is reported.
   */
  static boolean sandboxProcessEnded(InspectContainerResponse.ContainerState state) {
    Long pid = state.getPidLong();
    return pid != null && pid > 0 && processEnded(pid);
  }

  /** Whether process {@code pid} has ended: gone from /proc, or a zombie not yet reaped. */
  static boolean processEnded(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // pid (comm) state ...: the command may hold spaces and parentheses, the state follows
      // the last ')'.
      int end = stat.lastIndexOf(')');
      char st = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return st == 'Z' || st == 'X';
    } catch (NoSuchFileException e) {
      return Files.isDirectory(Path.of("/proc/self"));
    } catch (IOException e) {
      return false;
    }
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

  private SandboxException notRunningOr(String containerId, SandboxException e) {
    if (e.getMessage().contains("is not running")) {
      return new SandboxException(
          Reason.GONE,
          "sandbox "
              + containerId
              + " is not running: "
              + "it reached its lifetime or was killed; create a new one",
          e);
    }
    return e;
  }

  /** Kills the session of the command; quiet when it already ended. */
  private void killSession(String containerId, String pidFile) {
    try {
      String id =
          docker
              .execCreateCmd(containerId)
              .withCmd("/bin/sh", "-c", KILL_SESSION, pidFile)
              .exec()
              .getId();
      docker
          .execStartCmd(id)
          .exec(new ResultCallback.Adapter<Frame>())
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
    private final CountDownLatch ended = new CountDownLatch(1);

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
              err ? OutputListener.Stream.STDERR : OutputListener.Stream.STDOUT,
              data,
              0,
              data.length);
        } catch (RuntimeException e) {
          listenerFailure = e;
          ended.countDown(); // stop waiting: the caller cannot take more output
        }
      }
    }

    /**
     * Waits for the stream to end; a failure counts as an end and is kept. (docker-java's own
     * awaitCompletion with a timeout closes the stream when it returns, so it cannot be used to
     * wait in slices.)
     */
    boolean finishes(Duration timeout) throws InterruptedException {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onComplete() {
      ended.countDown();
      super.onComplete();
    }

    @Override
    public void onError(Throwable throwable) {
      streamFailure = throwable instanceof RuntimeException r ? r : new RuntimeException(throwable);
      ended.countDown();
      super.onError(throwable);
    }

    @Override
    public void close() throws IOException {
      ended.countDown();
      super.close();
    }

    synchronized ExecResult result(ExecOutcome outcome, int exitCode, Duration took) {
      return new ExecResult(
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
