package io.stepbox.store;

/**
 * A blob store operation failed. {@link #retryable()} tells a store that is down or slow (try
 * again) from a request that cannot succeed (bad URL, missing bucket, no permission).
 */
public class BlobStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public BlobStoreException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
