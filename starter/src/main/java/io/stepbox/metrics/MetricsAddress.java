package io.stepbox.metrics;

import java.util.Optional;

/**
 * Where a worker serves {@code /metrics}: {@code STEPBOX_METRICS_HOST} (default {@value
 * #DEFAULT_HOST}; {@code 0.0.0.0} for every interface) and {@code STEPBOX_METRICS_PORT} (default
 * {@value #DEFAULT_PORT}; {@code 0} for any free port; {@code off} serves nothing).
 */
public record MetricsAddress(String host, int port) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9464;

  /**
   * The address the two variables' values name; empty when the port is {@code off}.
   *
   * @param host the value of STEPBOX_METRICS_HOST; null for the default
   * @param port the value of STEPBOX_METRICS_PORT; null for the default
   * @throws IllegalArgumentException naming the variable when a value is not usable
   */
  public static Optional<MetricsAddress> parse(String host, String port) {
    String h = host == null ? DEFAULT_HOST : host.strip();
    if (h.isEmpty() || h.contains("/") || h.contains(" ")) {
      throw new IllegalArgumentException(
          "STEPBOX_METRICS_HOST: '"
              + host
              + "' is not a host address; use an address such as 127.0.0.1 or 0.0.0.0");
    }
    String p = port == null ? Integer.toString(DEFAULT_PORT) : port.strip();
    if (p.equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(p);
      if (n >= 0 && n <= 65535) {
        return Optional.of(new MetricsAddress(h, n));
      }
    } catch (NumberFormatException e) {
      // Reported below with what to write instead.
    }
    throw new IllegalArgumentException(
        "STEPBOX_METRICS_PORT: '"
            + port
            + "' is not a port; use a number from 1 to 65535, 0 for any free port, or off");
  }
}
