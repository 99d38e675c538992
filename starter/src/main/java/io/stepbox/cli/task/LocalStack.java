package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
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
  private final AutoCloseable server;
  private final BlobStore blobs;
  private final DockerSandboxRuntime runtime;
  private final WorkerMetrics metrics;

  private LocalStack(
      AutoCloseable server,
      TemporalConnection temporal,
      StepboxWorker worker,
      BlobStore blobs,
      DockerSandboxRuntime runtime,
      WorkerMetrics metrics) {
    this.metrics = metrics;
    this.server = server;
    this.temporal = temporal;
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
    AutoCloseable server = null;
    TemporalConnection temporal = null;
    DockerSandboxRuntime runtime = null;
    BlobStore blobs = null;
    WorkerMetrics metrics = null;
    try {
      // Any free port unless STEPBOX_METRICS_PORT says: a worker on this host may hold 9464.
      metrics =
          WorkerCommand.startMetrics(
              cli.config().metricsPort() == null ? cli.config().withMetricsPort("0") : cli.config());
      if (!ownServer) {
        temporal =
            TemporalConnection.connect(
                cli.config().temporalAddress(),
                cli.config().temporalNamespace(),
                metrics.temporalScope());
      } else {
        Optional<Path> cliBinary = TemporalDevServer.findBinary(cli.config().temporalCli());
        if (cliBinary.isPresent()) {
          TemporalDevServer dev = startDevServer(cli, cliBinary.get());
          server = dev;
          temporal =
              TemporalConnection.connect(
                  dev.address(), cli.config().temporalNamespace(), metrics.temporalScope());
        } else {
          warnInMemory(cli);
          InMemoryTemporal memory =
              InMemoryTemporal.start(
                  cli.config().temporalNamespace(), searchAttributes(), metrics.temporalScope());
          server = memory;
          temporal = memory.connection();
        }
      }
      runtime =
          DockerSandboxRuntime.connect(
              cli.config().dockerHost(), cli.config().workerId(), metrics.registry());
      blobs = BlobStore.open(cli.config().blobUrl());
      StepboxWorker worker =
          new StepboxWorker(
              temporal.client(), runtime, blobs, System.getenv(), 2, metrics.registry());
      cli.err().println(WorkerCommand.metricsLine(metrics));
      return new LocalStack(server, temporal, worker, blobs, runtime, metrics);
    } catch (RuntimeException e) {
      closeAll(blobs, runtime, temporal, server, metrics);
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
          TemporalDevServer.newBuilder(dir.resolve("dev.db")).setBinary(binary).build().start();
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
