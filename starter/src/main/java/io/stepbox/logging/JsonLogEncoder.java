package io.stepbox.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object per line: {@code time} (ISO-8601, UTC), {@code level}, {@code logger}, {@code
 * thread}, {@code message}, {@code exception} (the stack trace, when there is one) and every MDC
 * entry as a field of its own ({@code taskId}, {@code step}, {@code approach}, {@code attempt},
 * {@code workflowRunId}, and the Temporal SDK's {@code WorkflowId}, {@code ActivityType}, ...).
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final Set<String> FIXED =
      Set.of("time", "level", "logger", "thread", "message", "exception");
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          if (!FIXED.contains(e.getKey()) && e.getValue() != null) {
            g.writeStringField(e.getKey(), e.getValue());
          }
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a log event as JSON", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
