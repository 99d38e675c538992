package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.client.WorkflowStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's metrics endpoint after a task ran, scraped over HTTP, and its JSON log lines, on the
 * real stack (dev server, SeaweedFS, dockerd with runsc).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ObservabilityIT {
  static final String SPEC =
      """
      name: observed
      image: stepbox/base:busybox
      steps:
        - id: write
          run: mkdir -p /w && head -c 200000 /dev/urandom > /w/data
        - id: copy
          run: cp /w/data /w/copy
        - id: check
          run: cmp /w/data /w/copy
      """;

  @TempDir Path dir;
  StackFixture stack;

  @BeforeEach
  void start() throws Exception {
    stack = new StackFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  private TaskStatus run(String id) throws Exception {
    TaskStatus done =
        WorkflowStub.fromTyped(stack.startTask(id, SPEC))
            .getResult(3, TimeUnit.MINUTES, TaskStatus.class);
    assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(TaskState.COMPLETED);
    return done;
  }

  @Test
  void theEndpointServesStepSnapshotSandboxAndTemporalSeriesAfterATask() throws Exception {
    stack.startWorker();
    run("observed-1");
    String url = stack.metrics.url().orElseThrow();
    Scrape scrape = Scrape.of(url);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (scrape.series("temporal_").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200); // the SDK's meters reach the registry once a second
      scrape = Scrape.of(url);
    }
    assertThat(scrape.series("temporal_")).as("Temporal SDK series").isNotEmpty();
    assertThat(scrape.sum("stepbox_step_run_seconds_count", "result=\"ok\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(scrape.sum("stepbox_step_run_seconds_count", "start=\"image\"")).isEqualTo(1);
    assertThat(scrape.sum("stepbox_step_run_seconds_sum", "")).isPositive();
    assertThat(scrape.sum("stepbox_snapshot_capture_seconds_count", "result=\"ok\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(scrape.sum("stepbox_snapshot_stored_bytes_total", ""))
        .as("the 200 kB of random data, stored once")
        .isGreaterThan(200_000);
    assertThat(scrape.sum("stepbox_snapshot_reused_bytes_total", ""))
        .as("later snapshots carry the same file")
        .isPositive();
    assertThat(scrape.sum("stepbox_snapshot_uploaded_bytes_total", "")).isPositive();
    assertThat(scrape.sum("stepbox_snapshot_dedup_ratio", "")).isBetween(0.01, 1.0);
    assertThat(scrape.sum("stepbox_sandbox_create_seconds_count", "")).isGreaterThanOrEqualTo(1);
    assertThat(scrape.series("stepbox_approvals_pending")).isNotEmpty();
  }

  static final String GATED =
      """
      name: gated-metric
      image: stepbox/base:busybox
      steps:
        - id: prepare
          run: echo ready
        - id: publish
          run: echo published
          approval: {required: true}
      """;

  @Test
  void pendingApprovalsCountsATaskWaitingAtItsGate() throws Exception {
    stack.startWorker();
    stack.startTask("waiting-1", GATED);
    String url = stack.metrics.url().orElseThrow();
    // The gauge counts through visibility (eventually consistent) and refreshes off the scrape.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    double pending = 0;
    while (pending < 1 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      pending = Scrape.of(url).sum("stepbox_approvals_pending", "");
    }
    assertThat(pending).as("tasks waiting for a decision").isEqualTo(1);
    stack.client().newUntypedWorkflowStub("waiting-1").terminate("test done");
  }

  @Test
  void aJsonLoggingWorkerWritesOnlyJsonObjectsCarryingTheTaskId() throws Exception {
    String workerId = "json-" + stack.workerId;
    Path log = StackFixture.childLog(workerId);
    Files.deleteIfExists(log);
    Process worker = stack.childWorker(workerId, "--log-format", "json");
    try {
      run("logged-1");
    } finally {
      worker.destroy();
      worker.waitFor(90, TimeUnit.SECONDS);
      stack.allOf(workerId).forEach(s -> stack.runtime.destroy(stack.runtime.find(s.id())));
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (!line.isBlank()) {
        JsonNode node = json.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        assertThat(node.path("time").asText()).as(line).isNotEmpty();
        assertThat(node.path("level").asText()).as(line).isNotEmpty();
        lines.add(node);
      }
    }
    assertThat(lines)
        .anyMatch(l -> l.path("message").asText().startsWith("metrics: http://127.0.0.1:"))
        .anyMatch(
            l ->
                l.path("taskId").asText().equals("logged-1")
                    && l.path("step").asText().equals("copy")
                    && l.path("message").asText().contains("finished")
                    && !l.path("workflowRunId").asText().isEmpty());
  }

  /** One scrape of the endpoint: its sample lines. */
  record Scrape(List<String> samples) {
    static Scrape of(String url) throws Exception {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return new Scrape(r.body().lines().filter(l -> !l.startsWith("#")).toList());
    }

    List<String> series(String prefix) {
      return samples.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label}. */
    double sum(String name, String label) {
      return samples.stream()
          .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
          .filter(l -> l.contains(label))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    }
  }
}
