package io.stepbox.cli;

import io.stepbox.client.StepboxClientOptions;
import io.stepbox.local.DataDir;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

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
 */
record StepboxConfig(
    String dockerHost,
    String workerId,
    String runtime,
    Path dataDir,
    String blobUrl,
    String temporalAddress,
    String temporalNamespace,
    boolean temporalAddressSet,
    String temporalCli) {

  static StepboxConfig fromEnvironment() {
    return from(System.getenv());
  }

  static StepboxConfig from(Map<String, String> env) {
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
        env.get("STEPBOX_TEMPORAL_CLI"));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
