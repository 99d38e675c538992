package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.WebUi;
import io.stepbox.cli.WorkerCommand;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.local.InMemoryTemporal;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.metrics.WorkerMetrics;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.store.BlobStore;
import io.stepbox.worker.StepboxWorker;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code stepbox demo} runs on: a Temporal server (the temporal CLI dev server with a SQLite
 * file under the data directory, unless TEMPORAL_ADDRESS names one; the in-memory test server when
 * there is no CLI), the configured blob store (a local directory by default) and a worker in this
 * process, with its metrics served like {@code stepbox worker}'s.
 */
final class LocalStack implements AutoCloseable {
  final TemporalConnection temporal;
  final StepboxWorker worker;
  final WebUi ui;
  private final AutoCloseable server;
  private final BlobStore blobs;
  private final DockerSandboxRuntime runtime;
  private final WorkerMetrics metrics;

  /** The Temporal server the stack runs on: one it started (closed with it) or an external one. */
  private record Server(AutoCloseable process, TemporalConnection temporal, WebUi ui) {}

  private LocalStack(
      Server server,
      StepboxWorker worker,
      BlobStore blobs,
      DockerSandboxRuntime runtime,
      WorkerMetrics metrics) {
    this.metrics = metrics;
    this.server = server.process();
    this.temporal = server.temporal();
    this.ui = server.ui();
    this.worker = worker;
    this.blobs = blobs;
    this.runtime = runtime;
  }

  /**
   * Starts the stack; {@code ownServer} starts a server instead of using TEMPORAL_ADDRESS: the dev
   * server when the temporal CLI is there (STEPBOX_TEMPORAL_CLI), else, with a warning, the
   * in-memory one.
   */
  static LocalStack start(Cli cli, boolean ownServer) {
    Server server = null;
    DockerSandboxRuntime runtime = null;
    BlobStore blobs = null;
    WorkerMetrics metrics = null;
    try {
      // Any free port unless STEPBOX_METRICS_PORT says: a worker on this host may hold 9464.
      metrics =
          WorkerCommand.startMetrics(
              cli.config().metricsPort() == null ? cli.config().withMetricsPort("0") : cli.config());
      server = ownServer ? ownServer(cli, metrics) : external(cli, metrics);
      runtime =
          DockerSandboxRuntime.connect(
              cli.config().dockerHost(), cli.config().workerId(), metrics.registry());
      blobs = BlobStore.open(cli.config().blobUrl());
      StepboxWorker worker =
          new StepboxWorker(
              server.temporal().client(), runtime, blobs, System.getenv(), 2, metrics.registry());
      cli.err().println(WorkerCommand.metricsLine(metrics));
      return new LocalStack(server, worker, blobs, runtime, metrics);
    } catch (RuntimeException e) {
      closeAll(blobs, runtime);
      if (server != null) {
        closeAll(server.temporal(), server.process());
      }
      closeAll(metrics);
      throw e;
    }
  }

  /** The server at TEMPORAL_ADDRESS, and its Web UI if one answers. */
  private static Server external(Cli cli, WorkerMetrics metrics) {
    TemporalConnection temporal =
        TemporalConnection.connect(
            cli.config().temporalAddress(),
            cli.config().temporalNamespace(),
            metrics.temporalScope());
    return new Server(null, temporal, WebUi.find(cli.config()));
  }

  /**
   * A server of the stack's own: the dev server with its Web UI when the temporal CLI is there
   * (STEPBOX_TEMPORAL_CLI), else, with a warning, the in-memory one.
   */
  private static Server ownServer(Cli cli, WorkerMetrics metrics) {
    String namespace = cli.config().temporalNamespace();
    Optional<Path> cliBinary = TemporalDevServer.findBinary(cli.config().temporalCli());
    if (cliBinary.isEmpty()) {
      warnInMemory(cli);
      InMemoryTemporal memory =
          InMemoryTemporal.start(namespace, searchAttributes(), metrics.temporalScope());
      return new Server(memory, memory.connection(), WebUi.none("in-memory Temporal has no UI"));
    }
    TemporalDevServer dev = startDevServer(cli, cliBinary.get());
    try {
      TemporalConnection temporal =
          TemporalConnection.connect(dev.address(), namespace, metrics.temporalScope());
      return new Server(
          dev, temporal, dev.uiUrl().map(WebUi::at).orElse(WebUi.none("headless dev server")));
    } catch (RuntimeException e) {
      dev.close();
      throw e;
    }
  }

  /**
   * Custom search attributes the in-memory server must know before workflows set them (the dev
   * server and real clusters get them elsewhere).
   */
  static Map<String, IndexedValueType> searchAttributes() {
    return TaskSearchAttributes.DEFINITIONS;
  }

  private static TemporalDevServer startDevServer(Cli cli, Path binary) {
    try {
      Path dir = Files.createDirectories(cli.config().dataDir().resolve("temporal"));
      TemporalDevServer server =
          TemporalDevServer.newBuilder(dir.resolve("dev.db"))
              .setBinary(binary)
              .setUi(true)
              .build()
              .start();
      cli.err().println(
          "local Temporal dev server at " + server.address() + " (state: " + server.dbFile() + ")");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void warnInMemory(Cli cli) {
    String why =
        TemporalDevServer.NO_CLI.equals(cli.config().temporalCli())
            ? "STEPBOX_TEMPORAL_CLI=none turns the temporal CLI off"
            : "the temporal CLI was not found (PATH, /usr/local/bin, /opt/stepbox/tools/bin)";
    cli.err().println(
        "stepbox: warning: "
            + why
            + "; running on Temporal's in-memory test server inside this process.\n"
            + "  Nothing survives a restart: tasks, their history and pending approvals are gone"
            + " when this command ends.\n"
            + "  Schedules and `stepbox list` need the real server: ./stepbox setup installs the"
            + " temporal CLI.");
  }

  /** Whether Temporal is the in-memory server, which only this process can reach. */
  boolean inMemory() {
    return server instanceof InMemoryTemporal;
  }

  @Override
  public void close() {
    closeAll(worker, blobs, runtime, temporal, server, metrics);
  }

  private static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable p : parts) {
      if (p != null) {
        try {
          p.close();
        } catch (Exception e) {
          // Closing the rest matters more than this one's failure.
        }
      }
    }
  }
}
