package io.stepbox.egress;

import io.stepbox.workflows.egress.EgressRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sandbox's Squid: written, started in a session of its own (so that it outlives a CLI that
 * made a sandbox for later), watched, drained of its audit, and stopped. Its directory holds the
 * configuration (with secrets' values: readable by root only), the error pages and the logs.
 */
final class EgressProxy {
  static final String PID_FILE = "proxy.pid";
  private static final long READY_MILLIS = 15_000;
  private static final long DRAIN_MILLIS = 3_000;

  private final Path dir;
  private final SquidConfig.Place place;
  private final AccessLog log;
  private long offset;

  private EgressProxy(Path dir, SquidConfig.Place place, AccessLog log) {
    this.dir = dir;
    this.place = place;
    this.log = log;
  }

  /** Writes the proxy's files, starts Squid and waits until it accepts connections. */
  static EgressProxy start(
      EgressSettings settings, SquidConfig config, SquidConfig.Place place, AccessLog log) {
    EgressProxy proxy = new EgressProxy(place.dir(), place, log);
    try {
      proxy.write(config);
      Process p = proxy.launch(settings);
      proxy.awaitReady(p);
    } catch (IOException e) {
      proxy.stop();
      throw new EgressException("cannot start the egress proxy: " + e.getMessage(), true, e);
    } catch (RuntimeException e) {
      proxy.stop();
      throw e;
    }
    return proxy;
  }

  private void write(SquidConfig config) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Files.createDirectories(place.logs());
    Files.createDirectories(place.errors());
    for (Map.Entry<String, String> page : config.errorPages().entrySet()) {
      Files.writeString(place.errors().resolve(page.getKey()), page.getValue());
    }
    Path conf = dir.resolve("squid.conf");
    Files.deleteIfExists(conf);
    Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(conf, config.render(place));
    SquidUser.own(place.logs());
  }

  private Process launch(EgressSettings settings) throws IOException {
    if (!Files.isExecutable(settings.squid())) {
      throw new EgressException(
          "Squid is not installed at "
              + settings.squid()
              + "; ./stepbox setup installs it (Debian: squid-openssl), or set STEPBOX_EGRESS_SQUID",
          false);
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "setsid", settings.squid().toString(), "-N", "-f", dir.resolve("squid.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(place.logs().resolve("squid.out").toFile());
    // Squid needs nothing of the worker's environment, which holds its credentials.
    String path = pb.environment().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().clear();
    pb.environment().put("PATH", path);
    Process p = pb.start();
    Files.writeString(dir.resolve(PID_FILE), Long.toString(p.pid()));
    return p;
  }

  /**
   * Waits for this Squid's own word that it listens on its port (a connect could reach another
   * process that holds the port).
   */
  private void awaitReady(Process p) throws IOException {
    long deadline = System.currentTimeMillis() + READY_MILLIS;
    String listening = "local=" + place.listenIp() + ":" + place.port() + " ";
    Path log = place.logs().resolve("cache.log");
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new EgressException(
            "the egress proxy exited at start: " + lastLines(place.logs().resolve("squid.out"))
                + " | " + lastLines(log),
            true);
      }
      if (Files.exists(log) && Files.readString(log).contains(listening)) {
        return;
      }
      pause(5);
    }
    throw new EgressException("the egress proxy did not listen within 15 s", true);
  }

  /** Whether Squid still runs. */
  boolean alive() {
    return pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The records logged since the last drain, once the sandbox's connections to the proxy have
   * ended (Squid logs a transaction at its end).
   *
   * @throws EgressException (retryable) when the proxy is gone
   */
  synchronized List<EgressRecord> drain() {
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    while (Connections.open(place.listenIp(), place.port(), place.sandboxIp()) > 0
        && System.currentTimeMillis() < deadline) {
      pause(10);
    }
    if (!alive()) {
      throw new EgressException(
          "the egress proxy of this sandbox died during the step ("
              + lastLines(place.logs().resolve("cache.log"))
              + "); nothing reached the network without it. The step is retried",
          true);
    }
    return log.read(newLines());
  }

  private List<String> newLines() {
    Path file = place.logs().resolve("access.log");
    if (!Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long end = f.length();
      if (end <= offset) {
        return List.of();
      }
      byte[] bytes = new byte[(int) (end - offset)];
      f.seek(offset);
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int complete = text.lastIndexOf('\n') + 1;
      offset += text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length;
      return text.substring(0, complete).lines().toList();
    } catch (IOException e) {
      throw new EgressException("cannot read the egress log " + file + ": " + e.getMessage(), true, e);
    }
  }

  private Optional<Long> pid() {
    return pidIn(dir);
  }

  /** Stops Squid and removes the proxy's directory (its configuration holds secrets). */
  void stop() {
    stopIn(dir);
  }

  /** Stops the Squid whose files are in {@code dir}, if it runs, and removes the directory. */
  static void stopIn(Path dir) {
    pidIn(dir)
        .flatMap(ProcessHandle::of)
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
        .ifPresent(EgressProxy::end);
    deleteTree(dir);
  }

  private static void end(ProcessHandle h) {
    List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
    h.destroy();
    try {
      h.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
    }
    all.forEach(ProcessHandle::destroyForcibly);
  }

  static Optional<Long> pidIn(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(PID_FILE)).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // Gone meanwhile, or not removable now: a later reap pass removes what is left.
    }
  }

  private static String lastLines(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "no log at " + file;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EgressException("interrupted while waiting for the egress proxy", true, e);
    }
  }
}
