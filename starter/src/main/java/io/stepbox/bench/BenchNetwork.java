package io.stepbox.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An internal Docker network of the egress benchmark's own: its gateway is where the benchmark's
 * server listens, reached directly by the baseline's sandbox and by the egress proxy. Removed on
 * close.
 */
record BenchNetwork(String dockerHost, String name, String gateway) implements AutoCloseable {

  static BenchNetwork create(String dockerHost, String name) throws IOException {
    docker(dockerHost, "network", "create", "--internal", "--label", "stepbox.managed=true", name);
    String gateway =
        docker(
                dockerHost,
                "network",
                "inspect",
                "-f",
                "{{range .IPAM.Config}}{{.Gateway}}{{end}}",
                name)
            .trim();
    return new BenchNetwork(dockerHost, name, gateway);
  }

  @Override
  public void close() throws IOException {
    docker(dockerHost, "network", "rm", name);
  }

  private static String docker(String dockerHost, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", dockerHost));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("docker " + String.join(" ", args) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
