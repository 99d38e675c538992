package io.stepbox.snapshot;

import io.stepbox.store.BlobStoreException;

/**
 * The one unchecked failure of the snapshot layer. {@link #reason()} says what kind of failure it
 * is; {@link #retryable()} says whether the same capture or restore can succeed later (a fault of
 * the store, the host or the sandbox) or cannot (the snapshot or the request is wrong). The
 * message names the snapshot or chunk and what to do; callers decide by the reason, never by it.
 */
public class SnapshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The request has a bad value (a malformed chunk hash, a negative grace). Not retryable. */
    INVALID_REQUEST(false),
    /** The snapshot was never committed, or was deleted. Not retryable. */
    NOT_FOUND(false),
    /** The manifest cannot be parsed, or a chunk is missing or fails its hash. Not retryable. */
    CORRUPT(false),
    /** The snapshot was taken from another image than the one asked for. Not retryable. */
    WRONG_IMAGE(false),
    /** The snapshot has a format newer than this stepbox reads. Not retryable. */
    TOO_NEW(false),
    /** The sandbox's layer holds what a snapshot cannot record (a huge tar header). Not retryable. */
    UNSUPPORTED(false),
    /** The blob store refused the request (bad bucket, no permission). Not retryable. */
    STORE_REFUSED(false),
    /** The blob store is down or failed while reading or storing. Retryable. */
    STORE(true),
    /** tar or find on the host failed to read or write the sandbox's layer. Retryable. */
    LAYER(true),
    /** The sandbox failed under the snapshot (listing or making its fifos). Retryable. */
    SANDBOX(true),
    /** The thread was interrupted, for example the worker is shutting down. Retryable. */
    INTERRUPTED(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }
  }

  private final Reason reason;

  public SnapshotException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SnapshotException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when the same call may succeed later (store, host or sandbox faults). */
  public boolean retryable() {
    return reason.retryable;
  }

  static SnapshotException invalid(String message) {
    return new SnapshotException(Reason.INVALID_REQUEST, message);
  }

  static SnapshotException notFound(String message) {
    return new SnapshotException(Reason.NOT_FOUND, message);
  }

  static SnapshotException corrupt(String message) {
    return new SnapshotException(Reason.CORRUPT, message);
  }

  static SnapshotException corrupt(String message, Throwable cause) {
    return new SnapshotException(Reason.CORRUPT, message, cause);
  }

  static SnapshotException wrongImage(String message) {
    return new SnapshotException(Reason.WRONG_IMAGE, message);
  }

  static SnapshotException tooNew(String message) {
    return new SnapshotException(Reason.TOO_NEW, message);
  }

  static SnapshotException unsupported(String message) {
    return new SnapshotException(Reason.UNSUPPORTED, message);
  }

  /** A store failure; {@link Reason#STORE_REFUSED} when the store said it cannot succeed. */
  static SnapshotException store(String message, Throwable cause) {
    boolean refused = cause instanceof BlobStoreException b && !b.retryable();
    return new SnapshotException(refused ? Reason.STORE_REFUSED : Reason.STORE, message, cause);
  }

  static SnapshotException layer(String message) {
    return new SnapshotException(Reason.LAYER, message);
  }

  static SnapshotException layer(String message, Throwable cause) {
    return new SnapshotException(Reason.LAYER, message, cause);
  }

  static SnapshotException sandbox(String message, Throwable cause) {
    return new SnapshotException(Reason.SANDBOX, message, cause);
  }

  static SnapshotException interrupted(String message, InterruptedException cause) {
    return new SnapshotException(Reason.INTERRUPTED, message, cause);
  }
}
