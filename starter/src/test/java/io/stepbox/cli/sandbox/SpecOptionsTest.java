package io.stepbox.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.NetworkPolicy;
import io.stepbox.workflows.egress.EgressPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** The network a sandbox's options give it. */
class SpecOptionsTest {
  /** A command holding only the spec options. */
  static final class Holder {
    @Mixin SpecOptions spec;
  }

  private static SpecOptions parse(String... argv) {
    Holder h = new Holder();
    new CommandLine(h).parseArgs(argv);
    return h.spec;
  }

  @Test
  void everyAllowHostGoesIntoOneEgressPolicy() {
    SpecOptions options =
        parse(
            "--allow-host", "pypi.org",
            "--allow-host=*.files.example.org",
            "--allow-host", "git.example.com:8443");
    NetworkPolicy expected =
        new NetworkPolicy.Egress(
            EgressPolicy.allowing(
                List.of("pypi.org", "*.files.example.org", "git.example.com:8443")));
    assertThat(options.network()).isEqualTo(expected);
    assertThat(options.spec("img", "runsc").network()).isEqualTo(expected);
  }

  @Test
  void withoutAllowHostTheNetworkOptionDecides() {
    assertThat(parse().network()).isEqualTo(NetworkPolicy.NONE);
    assertThat(parse("--network", "lab").network()).isEqualTo(new NetworkPolicy.Internal("lab"));
  }
}
