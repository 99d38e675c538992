package io.stepbox.metrics;

/** The metrics endpoint cannot be served; the message names the variable to change. */
public final class MetricsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetricsException(String message, Throwable cause) {
    super(message, cause);
  }
}
