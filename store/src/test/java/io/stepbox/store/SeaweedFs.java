package io.stepbox.store;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real SeaweedFS server with its S3 gateway on loopback, started from the {@code weed} binary
 * (installed by scripts/setup) in a directory of the test's, and stopped by pid. Restartable on the
 * same data directory.
 */
public final class SeaweedFs implements AutoCloseable {
  private final Path dir;
  private final int[] ports = new int[4];
  private Process process;

  public SeaweedFs(Path dir) throws IOException {
    this.dir = dir;
    for (int i = 0; i < ports.length; i++) {
      ports[i] = freePort();
    }
  }

  /** A loopback port whose +10000 (SeaweedFS's gRPC port) is free too. */
  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        int p = s.getLocalPort();
        if (p + 10000 < 65536) {
          try (ServerSocket grpc = new ServerSocket(p + 10000)) {
            return p;
          } catch (IOException busy) {
            // try another
          }
        }
      }
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + ports[3];
  }

  public SeaweedFs start() throws IOException, InterruptedException {
    Path config = dir.resolve("s3.json");
    java.nio.file.Files.writeString(
        config,
        """
        {"identities": [{"name": "stepbox",
          "credentials": [{"accessKey": "stepbox", "secretKey": "stepbox-secret"}],
          "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
        """);
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    "weed",
                    "server",
                    "-dir=" + dir,
                    "-ip=127.0.0.1",
                    "-s3.config=" + config,
                    "-ip.bind=127.0.0.1",
                    "-master.port=" + ports[0],
                    "-volume.port=" + ports[1],
                    "-filer.port=" + ports[2],
                    "-s3",
                    "-s3.port=" + ports[3],
                    "-volume.max=100"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("weed.log").toFile());
    // Its logs and local sockets go to the temporary directory: keep them in the test's.
    builder.environment().put("TMPDIR", dir.toString());
    process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!acceptsWrites()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("SeaweedFS did not start; see " + dir.resolve("weed.log"));
      }
      Thread.sleep(200); // polling the S3 port: the server signals readiness no other way
    }
    return this;
  }

  /** Ready means an object can be written: the S3 port opens before volumes are assigned. */
  private boolean acceptsWrites() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      c.getResponseCode();
    } catch (IOException e) {
      return false;
    }
    try (S3Client s3 = client()) {
      if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("ready"))) {
        s3.createBucket(b -> b.bucket("ready"));
      }
      s3.putObject(
          b -> b.bucket("ready").key("probe"),
          software.amazon.awssdk.core.sync.RequestBody.fromString("ok"));
      return true;
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      return false;
    }
  }

  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("stepbox", "stepbox-secret")))
        .overrideConfiguration(
            o -> o.retryStrategy(r -> r.maxAttempts(2)).apiCallTimeout(Duration.ofSeconds(20)))
        .build();
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** weed puts its local gRPC sockets in /tmp whatever TMPDIR says: remove ours. */
  private void removeSockets() {
    int[] socketPorts = {ports[0] + 10000, ports[1] + 10000, ports[3], ports[3] + 10000};
    try (var files = java.nio.file.Files.list(Path.of("/tmp"))) {
      files
          .filter(f -> f.getFileName().toString().startsWith("seaweedfs-"))
          .filter(
              f ->
                  java.util.Arrays.stream(socketPorts)
                      .anyMatch(p -> f.getFileName().toString().endsWith("-" + p + ".sock")))
          .forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Nothing to tidy.
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    removeSockets();
  }
}
