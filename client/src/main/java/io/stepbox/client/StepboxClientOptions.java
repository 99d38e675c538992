package io.stepbox.client;

import io.stepbox.connect.DataDir;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.store.BlobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link StepboxClient} connects and where it reads full outputs from. Immutable; made with
 * {@link #newBuilder()}, whose defaults come from the environment the way the {@code stepbox} CLI
 * reads it.
 */
public final class StepboxClientOptions {
  /** The frontend address used when TEMPORAL_ADDRESS is not set. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  /** The namespace used when TEMPORAL_NAMESPACE is not set. */
  public static final String DEFAULT_NAMESPACE = "default";

  private final String address;
  private final String namespace;
  private final String blobUrl;
  private final BlobStore blobStore;
  private final Duration connectTimeout;

  private StepboxClientOptions(Builder b) {
    this.address = b.address;
    this.namespace = b.namespace;
    this.blobUrl = b.blobUrl;
    this.blobStore = b.blobStore;
    this.connectTimeout = b.connectTimeout;
  }

  /**
   * A builder with the defaults of this process's environment, as the {@code stepbox} CLI and
   * worker read them: TEMPORAL_ADDRESS (default {@value #DEFAULT_ADDRESS}), TEMPORAL_NAMESPACE
   * (default {@value #DEFAULT_NAMESPACE}) and STEPBOX_BLOB_URL (default {@code
   * file://<STEPBOX_DATA_DIR>/blobs}, see {@link DataDir}).
   */
  public static Builder newBuilder() {
    return newBuilder(System.getenv());
  }

  /** {@link #newBuilder()} with defaults from {@code env} instead of the process environment. */
  public static Builder newBuilder(Map<String, String> env) {
    return new Builder()
        .setAddress(env.getOrDefault("TEMPORAL_ADDRESS", DEFAULT_ADDRESS))
        .setNamespace(env.getOrDefault("TEMPORAL_NAMESPACE", DEFAULT_NAMESPACE))
        .setBlobUrl(DataDir.blobUrl(env));
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return new Builder()
        .setAddress(address)
        .setNamespace(namespace)
        .setBlobUrl(blobUrl)
        .setBlobStore(blobStore)
        .setConnectTimeout(connectTimeout);
  }

  /** The Temporal frontend, {@code host:port}. */
  public String address() {
    return address;
  }

  /** The Temporal namespace. */
  public String namespace() {
    return namespace;
  }

  /** The URL of the workers' blob store ({@code file:///...} or {@code s3://bucket/prefix}). */
  public Optional<String> blobUrl() {
    return Optional.ofNullable(blobUrl);
  }

  /** A blob store given as an object; it wins over {@link #blobUrl()} and is not closed. */
  public Optional<BlobStore> blobStore() {
    return Optional.ofNullable(blobStore);
  }

  /** How long connecting waits for the server's first answer. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Builds {@link StepboxClientOptions}; every setter returns the builder. */
  public static final class Builder {
    private String address = DEFAULT_ADDRESS;
    private String namespace = DEFAULT_NAMESPACE;
    private String blobUrl;
    private BlobStore blobStore;
    private Duration connectTimeout = TemporalConnection.CONNECT_TIMEOUT;

    private Builder() {}

    /** The Temporal frontend, {@code host:port}. */
    public Builder setAddress(String address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The Temporal namespace. */
    public Builder setNamespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /**
     * The workers' blob store, where full outputs are: the value of their STEPBOX_BLOB_URL. Opened
     * on the first read of an output; S3 credentials and endpoint come from the standard AWS
     * environment. Null: none.
     */
    public Builder setBlobUrl(String blobUrl) {
      this.blobUrl = blobUrl;
      return this;
    }

    /** A blob store object to read outputs from instead of a URL; the client does not close it. */
    public Builder setBlobStore(BlobStore blobStore) {
      this.blobStore = blobStore;
      return this;
    }

    /** How long connecting waits for the server's first answer. */
    public Builder setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /** The options. */
    public StepboxClientOptions build() {
      return new StepboxClientOptions(this);
    }
  }
}
