package io.stepbox.egress;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The egress proxies of one worker's sandboxes, one Squid per sandbox. A sandbox start first takes
 * a {@link Lease} (a port and what the sandbox's environment and mounts need), then, once the
 * sandbox has its address, {@link #start} binds a proxy to that address alone: one sandbox can
 * never use another's policy. Thread-safe. A proxy's files live in a directory named after its
 * sandbox, so that {@link #reap} ends proxies whose sandbox is gone, also those of a dead process.
 */
public final class EgressProxies {
  /** The worker's own credentials and settings: never a secret handed to a proxy. */
  private static final Pattern INFRASTRUCTURE = Pattern.compile("(AWS|TEMPORAL|STEPBOX|DOCKER)_.*");

  /** What a sandbox needs before its proxy starts: the proxy's port, variables and trust files. */
  public record Lease(String listenIp, int port, Map<String, String> env, Path trustDir, String mount) {}

  private final EgressSettings settings;
  private final String workerId;
  private final Map<String, String> secretSource;
  private final Map<String, EgressProxy> proxies = new ConcurrentHashMap<>();
  private final Set<Integer> leased = ConcurrentHashMap.newKeySet();
  private volatile WorkerCa ca;

  /**
   * @param secretSource where secrets' values come from (the worker's environment)
   */
  public EgressProxies(EgressSettings settings, String workerId, Map<String, String> secretSource) {
    this.settings = settings;
    this.workerId = workerId;
    this.secretSource = Map.copyOf(secretSource);
  }

  public EgressSettings settings() {
    return settings;
  }

  /** Reserves a port on {@code listenIp} (the egress network's gateway) for a new sandbox. */
  public Lease lease(String listenIp) {
    Firewall.require(settings);
    WorkerCa c = ca();
    int port = freePort(listenIp);
    String proxy = "http://" + listenIp + ":" + port;
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
      env.put(name, proxy);
    }
    env.put("NO_PROXY", "localhost,127.0.0.1,::1");
    env.put("no_proxy", "localhost,127.0.0.1,::1");
    String bundle = WorkerCa.MOUNT + "/bundle.pem";
    for (String name :
        List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "PIP_CERT", "GIT_SSL_CAINFO", "CURL_CA_BUNDLE")) {
      env.put(name, bundle);
    }
    env.put("NODE_EXTRA_CA_CERTS", WorkerCa.MOUNT + "/ca.pem");
    // Java reads neither the proxy variables nor SSL_CERT_FILE: the same as system properties.
    env.put(
        "JAVA_TOOL_OPTIONS",
        String.join(
            " ",
            "-Dhttp.proxyHost=" + listenIp,
            "-Dhttp.proxyPort=" + port,
            "-Dhttps.proxyHost=" + listenIp,
            "-Dhttps.proxyPort=" + port,
            "-Dhttp.nonProxyHosts=localhost|127.0.0.1",
            "-Djavax.net.ssl.trustStore=" + WorkerCa.MOUNT + "/truststore.p12",
            "-Djavax.net.ssl.trustStoreType=PKCS12",
            "-Djavax.net.ssl.trustStorePassword=" + WorkerCa.TRUSTSTORE_PASSWORD));
    return new Lease(listenIp, port, env, c.trustDir(), WorkerCa.MOUNT);
  }

  /** Gives back a lease whose sandbox never started. */
  public void release(Lease lease) {
    leased.remove(lease.port());
  }

  /**
   * Starts the proxy of sandbox {@code containerId} at {@code sandboxIp}, enforcing {@code policy}.
   * The caller gives the lease back ({@link #release}) whether or not the proxy started: a
   * started proxy holds its port itself.
   *
   * @throws EgressException retryable when Squid does not come up; final for a secret that is not
   *     set or cannot be sent
   */
  public void start(Lease lease, String containerId, String sandboxIp, EgressPolicy policy) {
    SquidConfig config = new SquidConfig(policy, secretValues(policy), settings);
    SquidConfig.Place place =
        new SquidConfig.Place(
            dir(containerId),
            lease.listenIp(),
            lease.port(),
            sandboxIp,
            ca().cert(),
            ca().key(),
            sslDb());
    proxies.put(
        containerId,
        EgressProxy.start(settings, config, place, new AccessLog(policy, sandboxIp)));
  }

  /**
   * What the proxy of {@code containerId} logged since the last call; empty when it has none.
   *
   * @throws EgressException (retryable) when the proxy died
   */
  public List<EgressRecord> drain(String containerId) {
    EgressProxy p = proxies.get(containerId);
    return p == null ? List.of() : p.drain();
  }

  /** The sandboxes whose proxies this process started and has not stopped. */
  public java.util.Set<String> proxied() {
    return java.util.Set.copyOf(proxies.keySet());
  }

  /** Whether {@code containerId} has a proxy started by this process. */
  public boolean has(String containerId) {
    return proxies.containsKey(containerId);
  }

  /** Stops the proxy of {@code containerId}, started by this process or another; idempotent. */
  public synchronized void stop(String containerId) {
    EgressProxy p = proxies.remove(containerId);
    if (p != null) {
      p.stop();
    } else {
      EgressProxy.stopIn(dir(containerId));
    }
  }

  /** Stops every proxy whose sandbox is not among {@code liveContainerIds}; returns their ids. */
  public List<String> reap(Set<String> liveContainerIds) {
    Path root = settings.stateDir().resolve("proxies");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      List<String> gone =
          dirs.map(p -> p.getFileName().toString())
              .filter(id -> !liveContainerIds.contains(id))
              .toList();
      gone.forEach(this::stop);
      return gone;
    } catch (IOException e) {
      return List.of();
    }
  }

  private Path dir(String containerId) {
    if (!containerId.matches("[0-9a-f]{12,64}")) {
      throw new IllegalArgumentException("not a container id: " + containerId);
    }
    return settings.stateDir().resolve("proxies").resolve(containerId);
  }

  private Map<String, String> secretValues(EgressPolicy policy) {
    Map<String, String> values = new LinkedHashMap<>();
    for (var s : policy.secrets()) {
      if (INFRASTRUCTURE.matcher(s.name()).matches()) {
        throw new EgressException(
            "secret "
                + s.name()
                + " is one of the worker's own credentials (AWS_*, TEMPORAL_*, STEPBOX_*,"
                + " DOCKER_*), which steps never get; give the secret a name of its own",
            false);
      }
      String v = secretSource.get(s.name());
      if (v != null) {
        values.put(s.name(), v);
      }
    }
    return values;
  }

  private WorkerCa ca() {
    WorkerCa c = ca;
    if (c == null) {
      c = WorkerCa.ensure(settings.stateDir(), workerId, settings.upstreamCa());
      ca = c;
    }
    return c;
  }

  private synchronized Path sslDb() {
    Path db = settings.stateDir().resolve("ssl-db");
    if (Files.isDirectory(db)) {
      return db;
    }
    try {
      Files.createDirectories(db.getParent());
      Path tmp = Files.createTempDirectory(db.getParent(), "ssl-db-");
      Files.delete(tmp); // the helper makes the directory itself
      Process p =
          new ProcessBuilder(settings.certgen().toString(), "-c", "-s", tmp.toString(), "-M", "16MB")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new EgressException("cannot make Squid's certificate cache: " + out.strip(), false);
      }
      try (Stream<Path> all = Files.walk(tmp)) {
        for (Path f : all.toList()) {
          SquidUser.own(f);
        }
      }
      Files.move(tmp, db);
    } catch (IOException e) {
      if (!Files.isDirectory(db)) {
        throw new EgressException("cannot make Squid's certificate cache in " + db, false, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EgressException("interrupted while making Squid's certificate cache", true, e);
    }
    return db;
  }

  private int freePort(String listenIp) {
    int span = EgressSettings.PORTS;
    int start = (int) (Math.random() * span);
    for (int i = 0; i < span; i++) {
      int port = settings.firstPort() + (start + i) % span;
      if (leased.add(port)) {
        if (bindable(listenIp, port)) {
          return port;
        }
        leased.remove(port);
      }
    }
    throw new EgressException(
        "no free egress proxy port in "
            + settings.firstPort()
            + "-"
            + (settings.firstPort() + span - 1)
            + " on "
            + listenIp,
        true);
  }

  private static boolean bindable(String ip, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
