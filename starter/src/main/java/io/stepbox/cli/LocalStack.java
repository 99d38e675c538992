package io.stepbox.cli;

import io.stepbox.local.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.metrics.WorkerMetrics;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.store.BlobStore;
import io.stepbox.worker.StepboxWorker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code stepbox demo} runs on: a Temporal server (the temporal CLI dev server with a SQLite
 * file under the data directory, unless TEMPORAL_ADDRESS names one), the configured blob store (a
 * local directory by default) and a worker in this process, with its metrics served like {@code
 * stepbox worker}'s.
 */
final class LocalStack implements AutoCloseable {
  final TemporalDevServer server;
  final TemporalConnection temporal;
  final StepboxWorker worker;
  private final BlobStore blobs;
  private final DockerSandboxRuntime runtime;
  private final WorkerMetrics metrics;

  private LocalStack(
      TemporalDevServer server,
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

  /** Starts the stack; {@code ownServer} starts a dev server instead of using TEMPORAL_ADDRESS. */
  static LocalStack start(Cli cli, boolean ownServer) {
    TemporalDevServer server = null;
    TemporalConnection temporal = null;
    DockerSandboxRuntime runtime = null;
    BlobStore blobs = null;
    WorkerMetrics metrics = null;
    try {
      metrics = WorkerCommand.startMetrics(cli);
      String address = cli.config.temporalAddress();
      if (ownServer) {
        Path dir = Files.createDirectories(cli.config.dataDir().resolve("temporal"));
        server = TemporalDevServer.newBuilder(dir.resolve("dev.db")).build().start();
        address = server.address();
        cli.err.println(
            "local Temporal dev server at " + address + " (state: " + server.dbFile() + ")");
      }
      temporal =
          TemporalConnection.connect(
              address, cli.config.temporalNamespace(), metrics.temporalScope());
      runtime =
          DockerSandboxRuntime.connect(
              cli.config.dockerHost(), cli.config.workerId(), metrics.registry());
      blobs = BlobStore.open(cli.config.blobUrl());
      StepboxWorker worker =
          new StepboxWorker(
              temporal.client(), runtime, blobs, System.getenv(), 2, metrics.registry());
      cli.err.println(WorkerCommand.metricsLine(metrics));
      return new LocalStack(server, temporal, worker, blobs, runtime, metrics);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeAll(null, blobs, runtime, temporal, server, metrics);
      throw e;
    }
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
