package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.client.StepboxClient;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.metrics.MetricsAddress;
import io.stepbox.metrics.WorkerMetrics;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.SandboxFixture;
import io.stepbox.sandbox.SandboxInfo;
import io.stepbox.specfile.TaskSpecReader;
import io.stepbox.store.BlobStore;
import io.stepbox.store.S3BlobStore;
import io.stepbox.store.SeaweedFs;
import io.stepbox.worker.StepboxWorker;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.TaskInput;
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
  private final Map<String, String> workerEnv;

  StackFixture(Path dir) throws Exception {
    this(dir, null, Map.of("DEMO_TOKEN", "t0ken"));
  }

  /**
   * A stack whose worker runs egress proxies by {@code egress} (null: from the environment) and
   * takes secrets from {@code workerEnv}.
   */
  StackFixture(Path dir, io.stepbox.egress.EgressSettings egress, Map<String, String> workerEnv)
      throws Exception {
    this.dir = dir;
    this.workerEnv = workerEnv;
    server = TemporalDevServer.newBuilder(dir.resolve("temporal.db")).build().start();
    seaweed = new SeaweedFs(java.nio.file.Files.createDirectories(dir.resolve("s3"))).start();
    try (var s3 = seaweed.client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    metrics = WorkerMetrics.serving(new MetricsAddress("127.0.0.1", 0));
    temporal = TemporalConnection.connect(server.address(), "default", metrics.temporalScope());
    runtime =
        egress == null
            ? DockerSandboxRuntime.connect(SandboxFixture.DOCKER_HOST, workerId, metrics.registry())
            : DockerSandboxRuntime.connect(
                SandboxFixture.DOCKER_HOST, workerId, metrics.registry(), egress, workerEnv);
    blobs = new S3BlobStore(seaweed.client(), BUCKET, "e2e");
  }

  StackFixture startWorker() {
    worker =
        new StepboxWorker(
            temporal.client(),
            runtime,
            blobs,
            workerEnv,
            2,
            metrics.registry());
    return this;
  }

  WorkflowClient client() {
    return temporal.client();
  }

  /** Starts the task of {@code yaml} (paths relative to the fixture's directory) as {@code id}. */
  AgentTaskWorkflow startTask(String id, String yaml) {
    TaskSpec spec = TaskSpecReader.parse(yaml, false, dir);
    AgentTaskWorkflow task =
        client().newWorkflowStub(AgentTaskWorkflow.class, StepboxClient.taskOptions(id, spec));
    WorkflowClient.start(task::run, TaskInput.of(spec));
    return task;
  }

  /**
   * Starts {@code stepbox [options] worker --steps 1} in a child JVM against this stack, its output
   * appended to {@link #childLog}.
   */
  Process childWorker(String childWorkerId, String... options) throws java.io.IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.add(Main.class.getName());
    command.addAll(List.of(options));
    command.addAll(List.of("worker", "--steps", "1"));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(childLog(childWorkerId).toFile()));
    pb.environment().putAll(childEnv(childWorkerId));
    return pb.start();
  }

  /** Where the output of child worker {@code childWorkerId} goes. */
  static Path childLog(String childWorkerId) {
    return Path.of("target", childWorkerId + ".log");
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

  /** The sandboxes of a worker's tasks and sessions: not those waiting in its pool. */
  List<SandboxInfo> sandboxesOf(String worker) {
    return allOf(worker).stream().filter(s -> !s.inPool()).toList();
  }

  /** Every sandbox of a worker, those waiting in its pool too. */
  List<SandboxInfo> allOf(String worker) {
    return runtime.list().stream().filter(s -> s.worker().orElse("").equals(worker)).toList();
  }

  @Override
  public void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
    List<SandboxInfo> left = allOf(workerId);
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
