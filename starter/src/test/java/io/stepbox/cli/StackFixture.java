package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.local.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.metrics.MetricsAddress;
import io.stepbox.metrics.WorkerMetrics;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.sandbox.SandboxInfo;
import io.stepbox.store.BlobStore;
import io.stepbox.store.S3BlobStore;
import io.stepbox.store.SeaweedFs;
import io.stepbox.worker.StepboxWorker;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real stack for end-to-end tests: a temporal CLI dev server, a SeaweedFS S3 server, dockerd
 * with runsc, and a stepbox worker in this process with a worker id of its own. {@link #close()}
 * stops all of it and checks that no sandbox of that worker id is left.
 */
final class StackFixture implements AutoCloseable {
  static final String BUCKET = "stepbox-e2e";
  final Path dir;
  final String workerId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  final TemporalDevServer server;
  final SeaweedFs seaweed;
  final TemporalConnection temporal;
  final DockerSandboxRuntime runtime;
  final BlobStore blobs;
  final WorkerMetrics metrics;
  StepboxWorker worker;

  StackFixture(Path dir) throws Exception {
    this.dir = dir;
    server = TemporalDevServer.newBuilder(dir.resolve("temporal.db")).build().start();
    seaweed = new SeaweedFs(java.nio.file.Files.createDirectories(dir.resolve("s3"))).start();
    try (var s3 = seaweed.client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    metrics = WorkerMetrics.serving(new MetricsAddress("127.0.0.1", 0));
    temporal = TemporalConnection.connect(server.address(), "default", metrics.temporalScope());
    runtime =
        DockerSandboxRuntime.connect(SandboxFixture.DOCKER_HOST, workerId, metrics.registry());
    blobs = new S3BlobStore(seaweed.client(), BUCKET, "e2e");
  }

  StackFixture startWorker() {
    worker =
        new StepboxWorker(
            temporal.client(),
            runtime,
            blobs,
            Map.of("DEMO_TOKEN", "t0ken"),
            2,
            metrics.registry());
    return this;
  }

  WorkflowClient client() {
    return temporal.client();
  }

  /** Environment for a child JVM worker against this stack. */
  Map<String, String> childEnv(String childWorkerId) {
    return Map.of(
        "TEMPORAL_ADDRESS",
        server.address(),
        "STEPBOX_WORKER_ID",
        childWorkerId,
        "STEPBOX_BLOB_URL",
        "s3://" + BUCKET + "/e2e",
        "AWS_ENDPOINT_URL_S3",
        seaweed.endpoint(),
        "AWS_REGION",
        "us-east-1",
        "AWS_ACCESS_KEY_ID",
        "stepbox",
        "AWS_SECRET_ACCESS_KEY",
        "stepbox-secret",
        "STEPBOX_S3_PATH_STYLE",
        "true",
        "STEPBOX_METRICS_PORT",
        "0");
  }

  List<SandboxInfo> sandboxesOf(String worker) {
    return runtime.list().stream().filter(s -> s.worker().orElse("").equals(worker)).toList();
  }

  @Override
  public void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
    List<SandboxInfo> left = sandboxesOf(workerId);
    left.forEach(s -> runtime.destroy(runtime.find(s.id())));
    temporal.close();
    blobs.close();
    runtime.close();
    seaweed.close();
    server.close();
    metrics.close();
    assertThat(left).as("sandboxes the worker left behind").isEmpty();
  }
}
