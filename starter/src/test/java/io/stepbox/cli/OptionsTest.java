package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command line parser refuses, and how it says so: exit 2, the option and the fix. */
class OptionsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... argv) {
    err.reset();
    return Main.run(
        List.of(argv),
        StepboxConfig.from(Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownOptionNamesItAndTheHelp() {
    assertThat(run("sandbox", "run", "--nope", "--", "true")).isEqualTo(2);
    assertThat(err()).startsWith("stepbox: unknown option --nope").contains("--help");
  }

  @Test
  void anOptionWithoutItsValueSaysSo() {
    assertThat(run("sandbox", "run", "--image")).isEqualTo(2);
    assertThat(err()).contains("--image needs a value");
  }

  @Test
  void badDurationsSizesAndNumbersNameTheOption() {
    assertThat(run("sandbox", "run", "--timeout", "soon", "--", "true")).isEqualTo(2);
    assertThat(err()).contains("--timeout: 'soon'", "30s, 10m, 1h");
    assertThat(run("sandbox", "run", "--memory", "lots", "--", "true")).isEqualTo(2);
    assertThat(err()).contains("--memory: 'lots' is not a size");
    assertThat(run("sandbox", "run", "--cpus", "two", "--", "true")).isEqualTo(2);
    assertThat(err()).contains("--cpus: 'two' is not a number");
  }

  @Test
  void aCountMustBeAtLeastOne() {
    assertThat(run("bench", "step", "--runs=0")).isEqualTo(2);
    assertThat(err()).contains("--runs: must be a whole number of at least 1");
  }

  @Test
  void aMissingArgumentIsNamed() {
    assertThat(run("status")).isEqualTo(2);
    assertThat(err()).contains("missing the task id");
    assertThat(run("sandbox", "exec")).isEqualTo(2);
    assertThat(err()).contains("missing the sandbox id");
  }
}
