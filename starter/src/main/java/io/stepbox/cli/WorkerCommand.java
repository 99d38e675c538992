package io.stepbox.cli;

import io.stepbox.connect.TemporalConnection;
import io.stepbox.metrics.WorkerMetrics;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.store.BlobStore;
import io.stepbox.worker.StepboxWorker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stepbox worker [--steps N]}: polls Temporal for tasks and steps until stopped. */
@Command(
    name = "worker",
    description = {
      "run tasks' workflows and steps (TEMPORAL_ADDRESS, STEPBOX_BLOB_URL); serves Prometheus"
          + " metrics at http://127.0.0.1:9464/metrics"
    })
public final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--steps",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "steps run at once (default 2)")
  double steps = 2;

  private final Cli cli;

  WorkerCommand(Cli cli) {
    this.cli = cli;
  }

  /** The process's registry, served where STEPBOX_METRICS_HOST and _PORT say. */
  static WorkerMetrics startMetrics(Cli cli) {
    return startMetrics(cli.config());
  }

  public static WorkerMetrics startMetrics(StepboxConfig config) {
    return config.metricsAddress().map(WorkerMetrics::serving).orElseGet(WorkerMetrics::unserved);
  }

  /** {@code metrics: http://127.0.0.1:9464/metrics}, or how they were turned off. */
  public static String metricsLine(WorkerMetrics metrics) {
    return "metrics: " + metrics.url().orElse("not served (STEPBOX_METRICS_PORT=off)");
  }

  @Override
  public Integer call() {
    int steps = Converters.atLeastOne("--steps", this.steps);
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(stopHook(stopped, closed));
    try (WorkerMetrics metrics = startMetrics(cli);
        TemporalConnection temporal =
            TemporalConnection.connect(
                cli.config().temporalAddress(),
                cli.config().temporalNamespace(),
                metrics.temporalScope());
        DockerSandboxRuntime runtime =
            DockerSandboxRuntime.connect(
                cli.config().dockerHost(), cli.config().workerId(), metrics.registry());
        BlobStore blobs = BlobStore.open(cli.config().blobUrl());
        StepboxWorker worker =
            new StepboxWorker(
                temporal.client(), runtime, blobs, System.getenv(), steps, metrics.registry())) {
      cli.note(startLine(worker, temporal, blobs, steps));
      cli.note(metricsLine(metrics));
      stopped.await();
      cli.note("worker stopping: running steps finish, warm sandboxes are removed");
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      closed.countDown();
    }
  }

  /** On SIGTERM: releases the main thread, then holds the JVM until the worker closed. */
  private static Thread stopHook(CountDownLatch stopped, CountDownLatch closed) {
    return new Thread(
        () -> {
          stopped.countDown();
          try {
            closed.await(
                StepboxWorker.WARM_IDLE.toSeconds() + 70, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        "stepbox-worker-stop");
  }

  private String startLine(
      StepboxWorker worker, TemporalConnection temporal, BlobStore blobs, int steps) {
    return String.format(
        "worker %s polling task queues stepbox and %s at %s (namespace %s); store %s; up to"
            + " %d steps at once",
        cli.config().workerId(),
        worker.ownQueue(),
        temporal.address(),
        temporal.namespace(),
        blobs.url(),
        steps);
  }
}
