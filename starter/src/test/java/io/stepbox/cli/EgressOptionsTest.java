package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The egress options refused on the command line, before any engine or server is asked: exit 2,
 * and a message that names the option and what is wrong.
 */
class EgressOptionsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs with Temporal and Docker where nothing listens: reaching either would not be exit 2. */
  private int run(String... argv) {
    err.reset();
    return Main.run(
        List.of(argv),
        StepboxConfig.from(
            Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1", "DOCKER_HOST", "tcp://127.0.0.1:1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBadHostNamesTheOptionAndWhatIsWrong() {
    assertThat(run("sandbox", "run", "--allow-host", "10.0.0.1", "--", "true")).isEqualTo(2);
    assertThat(err()).startsWith("stepbox: --allow-host: '10.0.0.1' is an IP address");
    assertThat(run("sandbox", "create", "--allow-host", "localhost")).isEqualTo(2);
    assertThat(err()).contains("--allow-host: 'localhost': localhost is the sandbox itself");
    assertThat(run("session", "start", "--allow-host", "pypi.org", "--allow-host", "x.org:0"))
        .isEqualTo(2);
    assertThat(err()).contains("--allow-host: 'x.org:0': the port must be a number");
    assertThat(run("session", "start", "--allow-host", "*")).isEqualTo(2);
    assertThat(err()).contains("--allow-host: '*'");
  }

  @Test
  void allowHostWithANetworkIsRefused() {
    for (List<String> command :
        List.of(
            List.of("sandbox", "run", "--allow-host", "pypi.org", "--network", "lab", "--", "ls"),
            List.of("sandbox", "create", "--allow-host", "pypi.org", "--network", "lab"))) {
      assertThat(run(command.toArray(String[]::new))).as("%s", command).isEqualTo(2);
      assertThat(err())
          .startsWith("stepbox: --allow-host and --network lab cannot be combined")
          .contains("drop --network");
    }
    assertThat(run("sandbox", "run", "--network", "none", "--allow-host", "a.org", "--", "true"))
        .isEqualTo(2);
    assertThat(err()).contains("--allow-host and --network none cannot be combined");
  }

  @Test
  void egressLogsAreNotAnOutputStream() {
    assertThat(run("logs", "t-1", "--step", "a", "--egress", "--stderr")).isEqualTo(2);
    assertThat(err()).contains("--egress and --stderr cannot be combined");
    assertThat(run("logs", "t-1", "--step", "a", "--json")).isEqualTo(2);
    assertThat(err()).contains("--json goes with --egress");
    assertThat(run("session", "logs", "s-1", "--stderr", "--egress")).isEqualTo(2);
    assertThat(err()).contains("--egress and --stderr cannot be combined");
  }

  @Test
  void aGoodLogsCommandLineGetsAsFarAsTemporal() {
    assertThat(run("logs", "t-1", "--step", "a", "--egress", "--json")).isEqualTo(125);
    assertThat(err()).contains("cannot reach Temporal");
  }
}
