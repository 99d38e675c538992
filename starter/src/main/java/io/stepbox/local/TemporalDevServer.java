package io.stepbox.local;

import io.grpc.StatusRuntimeException;
import io.stepbox.connect.Frontend;
import io.stepbox.connect.TaskAttributes;
import io.stepbox.connect.TemporalConnection;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server for one machine: {@code temporal server start-dev} on 127.0.0.1 with a
 * SQLite file, so that workflows survive a restart of the server. Ports are chosen once, when the
 * server is built, and kept across {@link #stop()} and {@link #start()}; the CLI picks its own free
 * HTTP, metrics and internal ports, so several servers can run side by side. The server's output
 * goes to a log file beside the database (appended across restarts). It starts with the task search
 * attributes registered ({@code --search-attribute}), so tasks are findable by name and status.
 *
 * <pre>{@code
 * try (TemporalDevServer server = TemporalDevServer.newBuilder(dataDir.resolve("temporal.db")).build()) {
 *   server.start();
 *   try (TemporalConnection t = TemporalConnection.connect(server.address(), "default")) { ... }
 * }
 * }</pre>
 *
 * <p>The process is ended by {@link #close()}, and by a JVM shutdown hook if the JVM exits first.
 * Not thread-safe beyond that: one owner starts and stops it.
 */
public final class TemporalDevServer implements AutoCloseable {
  /** The value of STEPBOX_TEMPORAL_CLI that selects no CLI: see {@link #findBinary(String)}. */
  public static final String NO_CLI = "none";

  /** How long {@link #stop()} waits after SIGTERM before it kills the process. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static final String HOST = "127.0.0.1";
  private static final int LOG_TAIL_LINES = 30;

  private final Path binary;
  private final Path dbFile;
  private final Path logFile;
  private final String namespace;
  private final int port;
  private final int uiPort;
  private final Duration startTimeout;
  private Process process;
  private Thread shutdownHook;

  private TemporalDevServer(Builder b) {
    this.binary = b.binary != null ? b.binary : TemporalBinary.require();
    this.dbFile = b.dbFile.toAbsolutePath();
    this.logFile = b.logFile != null ? b.logFile : defaultLogFile(dbFile);
    this.namespace = b.namespace;
    this.port = b.port > 0 ? b.port : freePort();
    this.uiPort = b.ui ? (b.uiPort > 0 ? b.uiPort : freePort()) : 0;
    this.startTimeout = b.startTimeout;
  }

  /**
   * A builder of a server that keeps its state in {@code dbFile} (created when missing).
   *
   * @throws LocalStackException on {@link Builder#build()} when the temporal CLI is not installed
   */
  public static Builder newBuilder(Path dbFile) {
    return new Builder(dbFile);
  }

  /** The temporal CLI that {@link #newBuilder} would use, if one is installed. */
  public static Optional<Path> findBinary() {
    return TemporalBinary.find(System.getenv("PATH"));
  }

  /**
   * The temporal CLI as {@code choice}, the value of STEPBOX_TEMPORAL_CLI, selects it: unset or
   * empty searches PATH, /usr/local/bin and where {@code ./stepbox setup} installs it; {@value
   * #NO_CLI} selects none (as if it were not installed); anything else is the path of the CLI to
   * run.
   *
   * @throws LocalStackException when {@code choice} names a file that is not executable
   */
  public static Optional<Path> findBinary(String choice) {
    return TemporalBinary.choose(choice, System.getenv("PATH"));
  }

  /**
   * Starts the server and returns once its frontend serves the namespace. Does nothing when it is
   * running already.
   *
   * @throws LocalStackException when the process exits or does not answer within the start timeout;
   *     the message carries the end of the server's log
   */
  public synchronized TemporalDevServer start() {
    if (isRunning()) {
      return this;
    }
    try {
      Files.createDirectories(dbFile.getParent());
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "--- stepbox: " + String.join(" ", command()) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new LocalStackException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    Process started = process;
    shutdownHook = new Thread(() -> end(started, Duration.ofSeconds(3)), "stepbox-temporal-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      awaitReady();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    return this;
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(binary.toString(), "server", "start-dev"));
    cmd.addAll(List.of("--ip", HOST, "--port", Integer.toString(port)));
    cmd.addAll(List.of("--db-filename", dbFile.toString(), "--log-level", "warn"));
    cmd.addAll(TaskAttributes.devServerArguments());
    if (uiPort > 0) {
      cmd.addAll(List.of("--ui-port", Integer.toString(uiPort), "--ui-disable-news-fetch"));
    } else {
      cmd.add("--headless");
    }
    if (!namespace.equals("default")) {
      cmd.addAll(List.of("--namespace", namespace));
    }
    return cmd;
  }

  /**
   * Waits until the port accepts connections (a gRPC channel that failed to connect backs off for
   * seconds, so it is not used for that), then until the frontend serves the namespace.
   */
  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (!accepts()) {
      pause(deadline, null);
    }
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      while (true) {
        try {
          Frontend.describeNamespace(stubs, namespace, Duration.ofSeconds(2));
          return;
        } catch (StatusRuntimeException e) {
          pause(deadline, e);
        }
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits a little for the next probe, failing when the process died or time is up. */
  private void pause(long deadline, Throwable lastProblem) {
    if (System.nanoTime() > deadline) {
      throw failure("did not answer within " + startTimeout.toSeconds() + " s", lastProblem);
    }
    try {
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw failure("exited with code " + process.exitValue(), lastProblem);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("start was interrupted", e);
    }
  }

  private LocalStackException failure(String what, Throwable cause) {
    return new LocalStackException(
        "the Temporal dev server on "
            + address()
            + " "
            + what
            + "; the end of its log "
            + logFile
            + ":\n"
            + logTail(),
        cause);
  }

  /** The last lines of the server's log, for error messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the server: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. The database file stays, so
   * {@link #start()} brings back every workflow. Does nothing when the server is not running.
   */
  public synchronized void stop() {
    halt(STOP_GRACE);
  }

  /** Kills the server at once (SIGKILL), as a crash would. The database file stays. */
  public synchronized void kill() {
    halt(Duration.ZERO);
  }

  private void halt(Duration grace) {
    if (process == null) {
      return;
    }
    end(process, grace);
    process = null;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or ran; ending the process twice is harmless.
    }
    shutdownHook = null;
  }

  private static void end(Process p, Duration grace) {
    if (grace.isZero()) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the server process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The frontend's gRPC address, {@code 127.0.0.1:PORT}: the value for TEMPORAL_ADDRESS. */
  public String address() {
    return HOST + ":" + port;
  }

  /** The frontend's port. */
  public int port() {
    return port;
  }

  /** The namespace the server serves (always also {@code default}). */
  public String namespace() {
    return namespace;
  }

  /** The Web UI's URL; empty when the server runs headless. */
  public Optional<String> uiUrl() {
    return uiPort > 0 ? Optional.of("http://" + HOST + ":" + uiPort) : Optional.empty();
  }

  /** The SQLite file holding the server's state. */
  public Path dbFile() {
    return dbFile;
  }

  /** The file the server's output goes to. */
  public Path logFile() {
    return logFile;
  }

  /** Stops the server ({@link #stop()}). */
  @Override
  public void close() {
    stop();
  }

  private static Path defaultLogFile(Path db) {
    String name = db.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return db.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".log");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** Options of a {@link TemporalDevServer}; every one but the database file is optional. */
  public static final class Builder {
    private final Path dbFile;
    private Path binary;
    private Path logFile;
    private String namespace = "default";
    private int port;
    private boolean ui;
    private int uiPort;
    private Duration startTimeout = Duration.ofSeconds(60);

    private Builder(Path dbFile) {
      this.dbFile = dbFile;
    }

    /** The temporal CLI to run; default: found on PATH or where {@code ./stepbox setup} puts it. */
    public Builder setBinary(Path binary) {
      this.binary = binary;
      return this;
    }

    /** Where the server's output goes; default: beside the database, {@code <name>.log}. */
    public Builder setLogFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** A namespace to create and wait for besides {@code default}; default {@code default}. */
    public Builder setNamespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The frontend's port; default: a free one, chosen once. */
    public Builder setPort(int port) {
      this.port = port;
      return this;
    }

    /** Whether to serve the Web UI (on a free port unless set); default: headless. */
    public Builder setUi(boolean ui) {
      this.ui = ui;
      return this;
    }

    /** The Web UI's port; implies {@link #setUi setUi(true)}. */
    public Builder setUiPort(int uiPort) {
      this.ui = true;
      this.uiPort = uiPort;
      return this;
    }

    /** How long {@link TemporalDevServer#start()} waits for the frontend; default 60 s. */
    public Builder setStartTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * A server with these options, not started yet.
     *
     * @throws LocalStackException when no temporal CLI was given or found
     */
    public TemporalDevServer build() {
      return new TemporalDevServer(this);
    }
  }
}
