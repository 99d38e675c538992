package io.stepbox.cli;

import io.stepbox.logging.LogFormat;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.egress.HostRule;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option types of the command line. Each says what is wrong with a value without naming the option;
 * {@link UsageErrors} puts the option's name in front.
 */
public final class Converters {
  private Converters() {}

  /** {@code 30s}, {@code 10m}, {@code 1h30m}. */
  public static final class DurationValue implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return unnamed(() -> Units.parseDuration("", value));
    }
  }

  /** {@code 512m}, {@code 1g}, a byte count. */
  public static final class BytesValue implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return unnamed(() -> Units.parseBytes("", value));
    }
  }

  /** Any number; whole numbers where the option needs one are checked by the command. */
  public static final class NumberValue implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number");
      }
    }
  }

  /** An allow rule: {@code host}, {@code *.host} or {@code host:port}; kept as written. */
  public static final class HostValue implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return unnamed(
          () -> {
            HostRule.allow(value);
            return value;
          });
    }
  }

  /** {@code text} or {@code json}. */
  static final class LogFormatValue implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return unnamed(() -> LogFormat.parse("", value));
    }
  }

  /** A whole number of at least 1 ({@code --runs 5}), or a usage error naming {@code option}. */
  public static int atLeastOne(String option, double n) {
    if (n < 1 || n != Math.floor(n) || n > Integer.MAX_VALUE) {
      throw new UsageException(option + ": must be a whole number of at least 1");
    }
    return (int) n;
  }

  private static <T> T unnamed(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new TypeConversionException(m.startsWith(": ") ? m.substring(2) : m);
    }
  }
}
