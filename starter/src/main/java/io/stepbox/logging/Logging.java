package io.stepbox.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Logging of the stepbox process, on standard error (standard output is the commands' own). {@link
 * LogFormat#TEXT}: a timestamped line per event, warnings and errors only (stepbox prints what
 * matters itself). {@link LogFormat#JSON}: one {@link JsonLogEncoder} object per line, with
 * stepbox's own events from INFO up (a line per step started and finished) and libraries' from WARN
 * up.
 */
public final class Logging {
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} %level %logger - %msg%n";

  private Logging() {}

  /** Sets logging of this process up for {@code format}, replacing what was set before. */
  public static void configure(LogFormat format) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      configure(context, format);
    }
  }

  static void configure(LoggerContext context, LogFormat format) {
    context.reset();
    Encoder<ILoggingEvent> encoder;
    if (format == LogFormat.JSON) {
      encoder = new JsonLogEncoder();
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(TEXT_PATTERN);
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    context.getLogger("io.stepbox").setLevel(format == LogFormat.JSON ? Level.INFO : Level.WARN);
    // The in-memory Temporal server (the demo's fallback without the temporal CLI) reports a
    // schedule-to-start timer that fires after its activity started as an ERROR; it is harmless.
    context
        .getLogger("io.temporal.internal.testservice.TestWorkflowMutableStateImpl")
        .setLevel(Level.OFF);
  }
}
