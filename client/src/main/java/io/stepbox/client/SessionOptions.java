package io.stepbox.client;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.HostRule;
import io.stepbox.workflows.session.SessionInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a session: its image, the snapshot it starts from, its id, the settings of every
 * exec and the hosts its execs may reach. Immutable; made with {@link #newBuilder(String)}.
 */
public final class SessionOptions {
  private final String image;
  private final String baseSnapshotId;
  private final String id;
  private final Duration idleTimeout;
  private final Map<String, String> env;
  private final List<String> secretNames;
  private final String workdir;
  private final List<String> allowHosts;

  private SessionOptions(Builder b) {
    this.image = b.image;
    this.baseSnapshotId = b.baseSnapshotId;
    this.id = b.id;
    this.idleTimeout = b.idleTimeout;
    this.env = Map.copyOf(b.env);
    this.secretNames = List.copyOf(b.secretNames);
    this.workdir = b.workdir;
    this.allowHosts = List.copyOf(b.allowHosts);
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
        .setWorkdir(workdir)
        .setAllowHosts(allowHosts);
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

  /**
   * The hosts every exec may reach through stepbox's egress proxy, as allow rules ({@code
   * index.example.org}, {@code *.example.org}, {@code git.example.com:8443}); empty: no network.
   */
  public List<String> allowHosts() {
    return allowHosts;
  }

  /** The workflow's input for these options: an egress policy only when hosts are allowed. */
  SessionInput input() {
    long idle = idleTimeout == null ? 0 : idleTimeout.toMillis();
    EgressPolicy egress = allowHosts.isEmpty() ? null : EgressPolicy.allowing(allowHosts);
    return new SessionInput(
        image, baseSnapshotId, null, null, env, secretNames, workdir, null, idle, 0, null, egress);
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
    private List<String> allowHosts = new ArrayList<>();

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

    /**
     * The hosts every exec may reach, and only those, through stepbox's egress proxy: {@code
     * host} (ports 80 and 443), {@code *.host} (its subdomains) or {@code host:port}. Replaces
     * hosts set before; empty: no network.
     *
     * @throws IllegalArgumentException naming a host that is not a valid rule (an IP address,
     *     localhost, a bad port) and what to write instead
     */
    public Builder setAllowHosts(List<String> hosts) {
      List<String> checked = new ArrayList<>();
      for (String host : hosts) {
        checked.add(checkHost(host));
      }
      this.allowHosts = checked;
      return this;
    }

    /**
     * Adds one host to {@link #setAllowHosts}.
     *
     * @throws IllegalArgumentException as {@link #setAllowHosts}
     */
    public Builder addAllowHost(String host) {
      allowHosts.add(checkHost(host));
      return this;
    }

    private static String checkHost(String host) {
      HostRule.allow(host);
      return host;
    }

    /** The options. */
    public SessionOptions build() {
      return new SessionOptions(this);
    }
  }
}
