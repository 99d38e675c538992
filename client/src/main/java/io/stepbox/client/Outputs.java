package io.stepbox.client;

import io.stepbox.store.BlobStore;
import java.io.InputStream;

/**
 * The blob store that holds the full outputs and egress logs of steps, opened on first use from its
 * URL unless the caller gave one; closed with the client only when the client opened it.
 */
final class Outputs implements AutoCloseable {
  private final String url;
  private BlobStore store;
  private final boolean owned;

  /** Outputs from {@code given} when not null, else from the store at {@code url} (or none). */
  Outputs(String url, BlobStore given) {
    this.url = given == null ? url : null;
    this.store = given;
    this.owned = given == null;
  }

  /** The object stored under {@code ref}; {@code what} names it in the message when it is missing. */
  synchronized InputStream open(String ref, String what) {
    return store()
        .get(ref)
        .orElseThrow(
            () ->
                new NotFoundException(
                    what
                        + " ("
                        + ref
                        + ") is not in the blob store "
                        + (url == null ? "given to the client" : url)
                        + ": set STEPBOX_BLOB_URL to the store the workers use",
                    null));
  }

  private BlobStore store() {
    if (store == null) {
      if (url == null) {
        throw new StepboxClientException(
            "no blob store to read outputs and egress logs from: set STEPBOX_BLOB_URL (or"
                + " StepboxClientOptions.Builder.setBlobUrl) to the store the workers use",
            null);
      }
      store = BlobStore.open(url);
    }
    return store;
  }

  @Override
  public synchronized void close() {
    if (owned && store != null) {
      store.close();
    }
  }
}
