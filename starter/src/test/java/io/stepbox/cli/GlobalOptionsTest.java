package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.logging.LogFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options before the command, and the environment they override. */
class GlobalOptionsTest {
  private static final StepboxConfig PLAIN = StepboxConfig.from(Map.of());

  @Test
  void logFormatBeforeTheCommandInBothSpellings() {
    var spaced =
        GlobalOptions.parse(List.of("--log-format", "json", "worker", "--steps", "1"), PLAIN);
    assertThat(spaced.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(spaced.command()).containsExactly("worker", "--steps", "1");
    var joined = GlobalOptions.parse(List.of("--log-format=text", "status", "x"), PLAIN);
    assertThat(joined.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(joined.command()).containsExactly("status", "x");
  }

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverText() {
    var env = StepboxConfig.from(Map.of("STEPBOX_LOG_FORMAT", "json"));
    assertThat(GlobalOptions.parse(List.of("worker"), env).logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(GlobalOptions.parse(List.of("--log-format", "text", "worker"), env).logFormat())
        .isEqualTo(LogFormat.TEXT);
    assertThat(GlobalOptions.parse(List.of("worker"), PLAIN).logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void badValuesAreUsageErrorsNamingTheirSource() {
    assertThatThrownBy(() -> GlobalOptions.parse(List.of("--log-format", "xml", "worker"), PLAIN))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--log-format: 'xml'");
    assertThatThrownBy(() -> GlobalOptions.parse(List.of("--log-format"), PLAIN))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("text or json");
    var env = StepboxConfig.from(Map.of("STEPBOX_LOG_FORMAT", "yaml"));
    assertThatThrownBy(() -> GlobalOptions.parse(List.of("worker"), env))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("STEPBOX_LOG_FORMAT: 'yaml'");
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
