package io.stepbox.cli;

import io.stepbox.client.StepboxClientOptions;
import io.stepbox.connect.DataDir;
import io.stepbox.logging.LogFormat;
import io.stepbox.metrics.MetricsAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything stepbox reads from the environment, read once at start. Defaults are the ones a single
 * machine needs and are documented here and in the README's configuration table.
 *
 * @param dockerHost {@code DOCKER_HOST}; default {@code unix:///var/run/docker.sock}
 * @param workerId {@code STEPBOX_WORKER_ID}; default this host's name, stable across restarts
 * @param runtime {@code STEPBOX_RUNTIME}; default {@code runsc} (gVisor)
 * @param dataDir {@code STEPBOX_DATA_DIR}; default {@code $XDG_DATA_HOME/stepbox} or {@code
 *     ~/.local/share/stepbox}
 * @param blobUrl {@code STEPBOX_BLOB_URL}; default {@code file://<dataDir>/blobs}
 * @param temporalAddress {@code TEMPORAL_ADDRESS}; default {@code 127.0.0.1:7233}
 * @param temporalNamespace {@code TEMPORAL_NAMESPACE}; default {@code default}
 * @param temporalAddressSet whether TEMPORAL_ADDRESS was given (the demo starts its own server
 *     otherwise)
 * @param temporalCli {@code STEPBOX_TEMPORAL_CLI}: the temporal CLI the demo starts its server
 *     with; default null (searched on PATH, in /usr/local/bin and /opt/stepbox/tools/bin); {@code
 *     none} for no CLI (the demo then runs on the in-memory server)
 * @param metricsHost {@code STEPBOX_METRICS_HOST}; null for the default, {@code 127.0.0.1}
 * @param metricsPort {@code STEPBOX_METRICS_PORT}; null for the default, {@code 9464} ({@code 0}:
 *     any free port, {@code off}: none)
 * @param logFormat {@code STEPBOX_LOG_FORMAT}; null for the default, {@code text}
 * @param temporalUi {@code STEPBOX_TEMPORAL_UI}: the Temporal Web UI's address ({@code
 *     http://host:port}), {@code none} for none; null for the default: the dev server's UI port
 *     beside TEMPORAL_ADDRESS when it answers (see {@link WebUi#find})
 */
public record StepboxConfig(
    String dockerHost,
    String workerId,
    String runtime,
    Path dataDir,
    String blobUrl,
    String temporalAddress,
    String temporalNamespace,
    boolean temporalAddressSet,
    String temporalCli,
    String metricsHost,
    String metricsPort,
    String logFormat,
    String temporalUi) {

  public static StepboxConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static StepboxConfig from(Map<String, String> env) {
    Path data = DataDir.of(env);
    return new StepboxConfig(
        env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
        env.getOrDefault("STEPBOX_WORKER_ID", hostName()),
        env.getOrDefault("STEPBOX_RUNTIME", "runsc"),
        data,
        DataDir.blobUrl(env),
        env.getOrDefault("TEMPORAL_ADDRESS", StepboxClientOptions.DEFAULT_ADDRESS),
        env.getOrDefault("TEMPORAL_NAMESPACE", StepboxClientOptions.DEFAULT_NAMESPACE),
        env.containsKey("TEMPORAL_ADDRESS"),
        env.get("STEPBOX_TEMPORAL_CLI"),
        env.get("STEPBOX_METRICS_HOST"),
        env.get("STEPBOX_METRICS_PORT"),
        env.get("STEPBOX_LOG_FORMAT"),
        env.get("STEPBOX_TEMPORAL_UI"));
  }

  /** This configuration with STEPBOX_METRICS_PORT set to {@code port}. */
  public StepboxConfig withMetricsPort(String port) {
    return new StepboxConfig(
        dockerHost,
        workerId,
        runtime,
        dataDir,
        blobUrl,
        temporalAddress,
        temporalNamespace,
        temporalAddressSet,
        temporalCli,
        metricsHost,
        port,
        logFormat,
        temporalUi);
  }

  /** Where a worker serves /metrics; empty when STEPBOX_METRICS_PORT is {@code off}. */
  public Optional<MetricsAddress> metricsAddress() {
    try {
      return MetricsAddress.parse(metricsHost, metricsPort);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** STEPBOX_LOG_FORMAT, or text. */
  public LogFormat logFormatOrDefault() {
    try {
      return logFormat == null ? LogFormat.TEXT : LogFormat.parse("STEPBOX_LOG_FORMAT", logFormat);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
