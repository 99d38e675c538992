package io.stepbox.connect;

/** No Temporal frontend answers at the configured address. */
public final class TemporalUnreachableException extends TemporalConnectException {
  private static final long serialVersionUID = 1L;

  private final String address;

  /** Temporal did not answer at {@code address}; {@code cause} is the gRPC failure. */
  public TemporalUnreachableException(String address, Throwable cause) {
    super(
        "cannot reach Temporal at "
            + address
            + ": start one with `temporal server start-dev` or run `./stepbox demo`, which starts a"
            + " local one; TEMPORAL_ADDRESS sets where stepbox looks"
            + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"),
        cause);
    this.address = address;
  }

  /** The address that did not answer. */
  public String address() {
    return address;
  }
}
