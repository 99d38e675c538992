package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two gVisor sandboxes on an internal Docker network talk over TCP; nothing else is reached. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxNetworkIT {
  private final SandboxFixture fx = new SandboxFixture();
  private final String network = "stepbox-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void createInternalNetwork() throws Exception {
    docker("network", "create", "--internal", "--label", "stepbox.managed=true", network);
  }

  @AfterEach
  void cleanUp() throws Exception {
    fx.close();
    docker("network", "rm", network);
  }

  @Test
  void sandboxesOnOneInternalNetworkTalkOverTcp() throws Exception {
    SandboxSpec spec =
        SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
            .setNetwork(new NetworkPolicy.Internal(network))
            .build();
    Sandbox server = fx.runtime.create(spec);
    Sandbox client = fx.runtime.create(spec);
    String ip =
        fx.sh(server, "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1").stdout().trim();
    assertThat(ip).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    CompletableFuture<CommandResult> listening =
        CompletableFuture.supplyAsync(
            () ->
                fx.runtime.exec(
                    server,
                    ExecRequest.newBuilder(List.of("nc", "-l", "-p", "7000"))
                        .setTimeout(Duration.ofSeconds(60))
                        .build()));
    // Retry until the listener is up: the client's exit code says whether it connected.
    CommandResult sent =
        fx.sh(
            client,
            "for i in $(seq 100); do echo hello-over-tcp | nc "
                + ip
                + " 7000 && exit 0; sleep 0.2; done; exit 1");
    assertThat(sent.exitCode()).isZero();
    assertThat(listening.get(60, TimeUnit.SECONDS).stdout()).isEqualTo("hello-over-tcp\n");
  }

  private static void docker(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(concat(args)).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("docker " + String.join(" ", args)).isZero();
  }

  private static List<String> concat(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
