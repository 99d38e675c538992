package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.logging.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options before the command, and the environment they override. */
class GlobalOptionsTest {
  private static final StepboxConfig PLAIN = StepboxConfig.from(Map.of());

  /** The log format that {@code argv} asks for, read as stepbox reads it. */
  private static LogFormat logFormat(StepboxConfig config, String... argv) {
    Cli cli = new Cli(config, System.in, System.out, System.err);
    var line = Main.commandLine(cli);
    line.parseArgs(argv);
    return ((StepboxCommand) line.getCommand()).logFormat();
  }

  private static String usageError(StepboxConfig config, String... argv) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Main.run(List.of(argv), config, System.out, stderr)).isEqualTo(2);
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void logFormatBeforeTheCommandInBothSpellings() {
    assertThat(logFormat(PLAIN, "--log-format", "json", "worker", "--steps", "1"))
        .isEqualTo(LogFormat.JSON);
    assertThat(logFormat(PLAIN, "--log-format=text", "status", "x")).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverText() {
    var env = StepboxConfig.from(Map.of("STEPBOX_LOG_FORMAT", "json"));
    assertThat(logFormat(env, "worker")).isEqualTo(LogFormat.JSON);
    assertThat(logFormat(env, "--log-format", "text", "worker")).isEqualTo(LogFormat.TEXT);
    assertThat(logFormat(PLAIN, "worker")).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void badValuesAreUsageErrorsNamingTheirSource() {
    assertThat(usageError(PLAIN, "--log-format", "xml", "version"))
        .contains("--log-format: 'xml'", "text or json");
    assertThat(usageError(PLAIN, "--log-format")).contains("--log-format needs a value");
    var env = StepboxConfig.from(Map.of("STEPBOX_LOG_FORMAT", "yaml"));
    assertThat(usageError(env, "version")).contains("STEPBOX_LOG_FORMAT: 'yaml'");
  }

  @Test
  void metricsVariablesAreUsageErrorsWhenBad() {
    var env = StepboxConfig.from(Map.of("STEPBOX_METRICS_PORT", "many"));
    assertThatThrownBy(env::metricsAddress)
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("STEPBOX_METRICS_PORT");
    assertThat(StepboxConfig.from(Map.of("STEPBOX_METRICS_PORT", "off")).metricsAddress())
        .isEmpty();
  }
}
