package io.stepbox.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml validates under Debian's docker-compose 1.29 ({@code ./stepbox setup} installs
 * it; the stack itself cannot run without an image registry) and normalises to the deployment the
 * README describes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ComposeFileIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = REPO.resolve("docker-compose.yml");
  private static final Map<String, String> REQUIRED =
      Map.of("STEPBOX_WORKER_ID", "host-a", "MINIO_ROOT_PASSWORD", "not-a-real-secret");

  @TempDir Path tmp;
  private Path emptyEnvFile;

  /** What {@code docker-compose config} printed and how it exited. */
  private record Result(int exit, String out, String err) {}

  @BeforeEach
  void isolateFromLocalSettings() throws IOException {
    // A developer's .env beside the file must not change what the test sees.
    emptyEnvFile = Files.createFile(tmp.resolve("empty.env"));
  }

  @Test
  void normalisesToTheStackTheReadmeDescribes() throws Exception {
    Result r = config(COMPOSE, REQUIRED);
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(r.out()).get("services");
    assertThat(names(services))
        .containsExactlyInAnyOrder(
            "postgresql", "temporal", "temporal-ui", "minio", "minio-bucket", "worker");
    services.forEach(
        s -> {
          if (s.has("image")) {
            assertThat(s.get("image").asText())
                .as("pinned")
                .matches(".+:[^:]+")
                .doesNotEndWith(":latest");
          }
        });

    JsonNode worker = services.get("worker");
    assertThat(worker.at("/build/context").asText()).isEqualTo(REPO.toString());
    assertThat(worker.at("/build/dockerfile").asText()).isEqualTo("Dockerfile");
    String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("AS build", "./mvnw", "stepbox.jar", "-jre", "GNU tar", "squid-openssl");
    assertThat(texts(worker.get("volumes")))
        .contains(
            "/var/run/docker.sock:/var/run/docker.sock:rw",
            "/var/lib/docker:/var/lib/docker:rw",
            "/var/lib/stepbox/egress:/var/lib/stepbox/egress:rw");
    assertThat(worker.get("network_mode").asText()).isEqualTo("host");
    assertThat(texts(worker.get("cap_add"))).containsExactly("SYS_ADMIN");
    assertThat(worker.get("pid").asText()).isEqualTo("host");
    JsonNode env = worker.get("environment");
    assertThat(env.get("STEPBOX_WORKER_ID").asText()).isEqualTo("host-a");
    assertThat(env.get("TEMPORAL_ADDRESS").asText()).isEqualTo("127.0.0.1:7233");
    assertThat(env.get("STEPBOX_BLOB_URL").asText()).isEqualTo("s3://stepbox/stepbox");
    assertThat(env.get("AWS_ENDPOINT_URL_S3").asText()).isEqualTo("http://127.0.0.1:9000");
    assertThat(env.get("STEPBOX_S3_PATH_STYLE").asText()).isEqualTo("true");
    assertThat(env.get("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo("not-a-real-secret");
    assertThat(env.get("STEPBOX_METRICS_HOST").asText()).isEqualTo("0.0.0.0");
    assertThat(worker.at("/depends_on/temporal/condition").asText()).isEqualTo("service_healthy");
    assertThat(worker.at("/depends_on/minio-bucket/condition").asText())
        .isEqualTo("service_completed_successfully");

    JsonNode bucket = services.get("minio-bucket");
    assertThat(bucket.get("image").asText()).startsWith("minio/mc:");
    assertThat(bucket.get("command").toString())
        .contains("mc alias set", "mc mb --ignore-existing");
    assertThat(bucket.at("/environment/STEPBOX_BUCKET").asText()).isEqualTo("stepbox");
    assertThat(bucket.at("/depends_on/minio/condition").asText()).isEqualTo("service_healthy");
    assertThat(services.at("/minio/healthcheck/test").toString()).contains("ready");

    assertThat(services.at("/temporal-ui/environment/TEMPORAL_ADDRESS").asText())
        .isEqualTo("temporal:7233");
    JsonNode temporal = services.get("temporal");
    assertThat(temporal.get("image").asText()).startsWith("temporalio/auto-setup:");
    assertThat(temporal.at("/environment/DB").asText()).isEqualTo("postgres12");
    assertThat(temporal.at("/environment/POSTGRES_SEEDS").asText()).isEqualTo("postgresql");
    assertThat(temporal.at("/depends_on/postgresql/condition").asText())
        .isEqualTo("service_healthy");
    assertThat(services.at("/postgresql/volumes/0").asText())
        .startsWith("postgresql-data:/var/lib/postgresql/data");
  }

  @Test
  void refusesToRunWithoutAWorkerIdOrAStorePassword() throws Exception {
    Result noId = config(COMPOSE, Map.of("MINIO_ROOT_PASSWORD", "not-a-real-secret"));
    assertThat(noId.exit()).isNotZero();
    assertThat(noId.err()).contains("set STEPBOX_WORKER_ID");
    Result noPassword = config(COMPOSE, Map.of("STEPBOX_WORKER_ID", "host-a"));
    assertThat(noPassword.exit()).isNotZero();
    assertThat(noPassword.err()).contains("set MINIO_ROOT_PASSWORD");
  }

  @Test
  void aBrokenCopyIsRejected() throws Exception {
    String broken =
        Files.readString(COMPOSE)
            .replace("context: .", "context: " + REPO)
            .replace("    cap_add:\n      - SYS_ADMIN\n", "    cap_add: SYS_ADMIN\n");
    Path copy = Files.writeString(tmp.resolve("docker-compose.yml"), broken);
    Result r = config(copy, REQUIRED);
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("cap_add", "array");
  }

  /** Runs {@code docker-compose config} on {@code file} with only PATH and {@code env} set. */
  private Result config(Path file, Map<String, String> env) throws Exception {
    List<String> cmd =
        List.of(
            "docker-compose",
            "--env-file",
            emptyEnvFile.toString(),
            "-f",
            file.toString(),
            "config");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().retainAll(List.of("PATH", "HOME"));
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError("docker-compose is not installed: run ./stepbox setup", e);
    }
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    return new Result(p.waitFor(), out, err.join());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
