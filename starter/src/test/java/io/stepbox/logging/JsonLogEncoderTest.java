package io.stepbox.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON log line: one object per line with the fixed fields, the MDC and the exception. */
class JsonLogEncoderTest {
  private final LoggerContext context = new LoggerContext();

  private JsonNode encode(LoggingEvent event) throws Exception {
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    return new ObjectMapper().readTree(line);
  }

  private LoggingEvent event(String message, Throwable thrown, Object... args) {
    return event(Map.of(), message, thrown, args);
  }

  private LoggingEvent event(
      Map<String, String> mdc, String message, Throwable thrown, Object... args) {
    LoggingEvent e =
        new LoggingEvent(
            "org.example.Fqcn",
            context.getLogger("io.stepbox.activities.StepActivitiesImpl"),
            Level.INFO,
            message,
            thrown,
            args);
    e.setTimeStamp(1_700_000_000_123L);
    e.setThreadName("activity-1");
    e.setMDCPropertyMap(mdc);
    return e;
  }

  @Test
  void carriesTheFixedFieldsAndEveryMdcEntry() throws Exception {
    var mdc = Map.of("taskId", "fix-calc-1", "step", "test", "attempt", "2", "message", "clash");
    JsonNode json = encode(event(mdc, "step {} (\"{}\") started", null, "test", "default"));
    assertThat(json.get("time").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger").asText()).isEqualTo("io.stepbox.activities.StepActivitiesImpl");
    assertThat(json.get("thread").asText()).isEqualTo("activity-1");
    assertThat(json.get("message").asText())
        .as("the formatted message wins over an MDC key of the same name")
        .isEqualTo("step test (\"default\") started");
    assertThat(json.get("taskId").asText()).isEqualTo("fix-calc-1");
    assertThat(json.get("step").asText()).isEqualTo("test");
    assertThat(json.get("attempt").asText()).isEqualTo("2");
    assertThat(json.has("exception")).isFalse();
  }

  @Test
  void anExceptionIsItsStackTraceInOneField() throws Exception {
    JsonNode json = encode(event("failed", new IllegalStateException("engine down\nbadly")));
    assertThat(json.get("exception").asText())
        .startsWith("java.lang.IllegalStateException: engine down\nbadly")
        .contains("\tat io.stepbox.logging.JsonLogEncoderTest");
  }

  @Test
  void formatsParseWithTheirSourceInErrors() {
    assertThat(LogFormat.parse("--log-format", "JSON")).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.parse("--log-format", "text")).isEqualTo(LogFormat.TEXT);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LogFormat.parse("STEPBOX_LOG_FORMAT", "xml"))
        .hasMessage("STEPBOX_LOG_FORMAT: 'xml' is not a log format; use text or json");
  }
}
