package io.stepbox.snapshot;

/** A snapshot cannot be stored, read or trusted; the message names the snapshot or chunk. */
public class SnapshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
