package io.stepbox.egress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How this host runs egress proxies, read once from the environment.
 *
 * @param squid the Squid binary ({@code STEPBOX_EGRESS_SQUID}; default {@code /usr/sbin/squid},
 *     which {@code ./stepbox setup} installs from Debian's squid-openssl)
 * @param certgen Squid's certificate helper, beside it in Debian's layout
 * @param stateDir proxies' configurations, logs, the worker CAs ({@code STEPBOX_EGRESS_DIR};
 *     default {@code /var/lib/stepbox/egress})
 * @param network the Docker network sandboxes with egress join ({@code STEPBOX_EGRESS_NETWORK};
 *     default {@value #DEFAULT_NETWORK}); its bridge has the same name
 * @param hostsFile names resolved before DNS, in /etc/hosts format ({@code STEPBOX_EGRESS_HOSTS});
 *     empty: DNS only
 * @param allowPrivate loopback, private or link-local destinations the operator allows anyway
 *     ({@code STEPBOX_EGRESS_ALLOW_PRIVATE}, comma-separated CIDRs), such as a mirror's address
 * @param upstreamCa extra CA certificates (PEM) that proxies trust upstream and sandboxes trust
 *     ({@code STEPBOX_EGRESS_CA_FILE}), for mirrors with a private CA; empty for none
 * @param dnsServers name servers of the proxies ({@code STEPBOX_EGRESS_DNS}, comma-separated);
 *     empty for the host's
 * @param firstPort the lowest port a proxy listens on; proxies use {@value #PORTS} ports from it
 *     ({@code STEPBOX_EGRESS_PORT}; default {@value #DEFAULT_PORT}), the range setup's firewall
 *     rule lets sandboxes reach
 */
public record EgressSettings(
    Path squid,
    Path certgen,
    Path stateDir,
    String network,
    Optional<Path> hostsFile,
    List<String> allowPrivate,
    Optional<Path> upstreamCa,
    List<String> dnsServers,
    int firstPort) {

  public static final String DEFAULT_NETWORK = "stepbox-egress";
  public static final int DEFAULT_PORT = 31280;

  /** Ports in the proxies' range: one per sandbox with egress on this host at once. */
  public static final int PORTS = 512;

  public EgressSettings {
    if (network.isEmpty() || network.length() > 15) {
      // The bridge is named like the network, and setup's firewall rules name the bridge.
      throw new EgressException(
          "STEPBOX_EGRESS_NETWORK=" + network + ": must be 1 to 15 characters (a bridge's name)",
          false);
    }
    allowPrivate = List.copyOf(allowPrivate);
    dnsServers = List.copyOf(dnsServers);
  }

  /** Reads the settings from {@code env}; throws {@link EgressException} naming a bad value. */
  public static EgressSettings fromEnvironment(Map<String, String> env) {
    Path squid = Path.of(env.getOrDefault("STEPBOX_EGRESS_SQUID", "/usr/sbin/squid"));
    return new EgressSettings(
        squid,
        Path.of("/usr/lib/squid/security_file_certgen"),
        Path.of(env.getOrDefault("STEPBOX_EGRESS_DIR", "/var/lib/stepbox/egress")),
        env.getOrDefault("STEPBOX_EGRESS_NETWORK", DEFAULT_NETWORK),
        file(env, "STEPBOX_EGRESS_HOSTS"),
        list(env.get("STEPBOX_EGRESS_ALLOW_PRIVATE")),
        file(env, "STEPBOX_EGRESS_CA_FILE"),
        list(env.get("STEPBOX_EGRESS_DNS")),
        port(env.get("STEPBOX_EGRESS_PORT")));
  }

  /**
   * These settings with their own state directory and hosts map, allowing {@code allowPrivate}
   * and trusting {@code upstreamCa}: a proxy set-up of a test or benchmark's own.
   */
  public EgressSettings withSite(
      Path newStateDir, Path newHostsFile, List<String> newAllowPrivate, Optional<Path> newCa) {
    return new EgressSettings(
        squid,
        certgen,
        newStateDir,
        network,
        Optional.of(newHostsFile),
        newAllowPrivate,
        newCa,
        dnsServers,
        firstPort);
  }

  /** The settings of this process's environment. */
  public static EgressSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  private static Optional<Path> file(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    Path p = Path.of(v);
    if (!Files.isReadable(p)) {
      throw new EgressException(name + "=" + v + ": no readable file there", false);
    }
    return Optional.of(p.toAbsolutePath());
  }

  private static List<String> list(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static int port(String v) {
    if (v == null || v.isBlank()) {
      return DEFAULT_PORT;
    }
    try {
      int p = Integer.parseInt(v.trim());
      if (p >= 1024 && p + PORTS <= 65536) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new EgressException(
        "STEPBOX_EGRESS_PORT=" + v + ": must be a port from 1024 to " + (65536 - PORTS), false);
  }
}
