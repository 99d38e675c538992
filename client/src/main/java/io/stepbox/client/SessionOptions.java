package io.stepbox.client;

import io.stepbox.workflows.session.SessionInput;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a session: its image, the snapshot it starts from, its id and the settings of every
 * exec. Immutable; made with {@link #newBuilder(String)}.
 */
public final class SessionOptions {
  private final String image;
  private final String baseSnapshotId;
  private final String id;
  private final Duration idleTimeout;
  private final Map<String, String> env;
  private final List<String> secretNames;
  private final String workdir;

  private SessionOptions(Builder b) {
    this.image = b.image;
    this.baseSnapshotId = b.baseSnapshotId;
    this.id = b.id;
    this.idleTimeout = b.idleTimeout;
    this.env = Map.copyOf(b.env);
    this.secretNames = List.copyOf(b.secretNames);
    this.workdir = b.workdir;
  }

  /** A builder for a session on {@code image}, such as {@code stepbox/base:busybox}. */
  public static Builder newBuilder(String image) {
    return new Builder(image);
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return new Builder(image)
        .setBaseSnapshotId(baseSnapshotId)
        .setId(id)
        .setIdleTimeout(idleTimeout)
        .setEnv(env)
        .setSecretNames(secretNames)
        .setWorkdir(workdir);
  }

  /** The container image. */
  public String image() {
    return image;
  }

  /** The snapshot the first exec starts from; empty: the image. */
  public Optional<String> baseSnapshotId() {
    return Optional.ofNullable(baseSnapshotId);
  }

  /** The session id; empty: {@code session-<6 random>}. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** The workflow's input for these options. */
  SessionInput input() {
    long idle = idleTimeout == null ? 0 : idleTimeout.toMillis();
    return new SessionInput(
        image, baseSnapshotId, null, null, env, secretNames, workdir, null, idle, 0, null);
  }

  /** Builds {@link SessionOptions}; every setter returns the builder. */
  public static final class Builder {
    private final String image;
    private String baseSnapshotId;
    private String id;
    private Duration idleTimeout;
    private Map<String, String> env = new LinkedHashMap<>();
    private List<String> secretNames = List.of();
    private String workdir;

    private Builder(String image) {
      this.image = Objects.requireNonNull(image, "image");
    }

    /** Start from this snapshot (of the same image) instead of the bare image; null: the image. */
    public Builder setBaseSnapshotId(String snapshotId) {
      this.baseSnapshotId = snapshotId;
      return this;
    }

    /** The session id; null picks {@code session-<6 random letters or digits>}. */
    public Builder setId(String id) {
      this.id = id;
      return this;
    }

    /**
     * How long the session waits for its next exec before it ends, keeping its snapshot; null:
     * {@link SessionInput#DEFAULT_IDLE_TIMEOUT}.
     */
    public Builder setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Environment variables of every exec. */
    public Builder setEnv(Map<String, String> env) {
      this.env = new LinkedHashMap<>(env);
      return this;
    }

    /** Names of variables whose values the worker takes from its own environment. */
    public Builder setSecretNames(List<String> names) {
      this.secretNames = List.copyOf(names);
      return this;
    }

    /** The working directory of every exec, absolute; null: the image's. */
    public Builder setWorkdir(String workdir) {
      this.workdir = workdir;
      return this;
    }

    /** The options. */
    public SessionOptions build() {
      return new SessionOptions(this);
    }
  }
}
