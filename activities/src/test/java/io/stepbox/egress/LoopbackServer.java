package io.stepbox.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * An HTTP or HTTPS file server on 127.0.0.1 that records every request it sees (path, Host and
 * Authorization), for tests of the egress proxy: what reached it, and what did not.
 */
public final class LoopbackServer implements AutoCloseable {
  /** One request as the server saw it. */
  public record Seen(String path, String host, String authorization) {}

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Path root;

  private LoopbackServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
  }

  /** Plain HTTP on a free loopback port. */
  public static LoopbackServer http() throws IOException {
    return new LoopbackServer(HttpServer.create(address(), 64));
  }

  /** HTTPS with {@code tls}'s certificate on a free loopback port. */
  public static LoopbackServer https(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(address(), 64);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new LoopbackServer(s);
  }

  private static InetSocketAddress address() throws IOException {
    return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code body} at {@code path}. */
  public LoopbackServer serve(String path, byte[] body) {
    files.put(path, body);
    return this;
  }

  /** Serves the files under {@code dir} (after those given to {@link #serve}). */
  public LoopbackServer serveDirectory(Path dir) {
    this.root = dir;
    return this;
  }

  /** Every request so far. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    seen.add(
        new Seen(
            path,
            ex.getRequestHeaders().getFirst("Host"),
            ex.getRequestHeaders().getFirst("Authorization")));
    byte[] body = files.get(path);
    Path dir = root;
    if (path.endsWith("/")) {
      ex.getResponseHeaders().set("Content-Type", "text/html");
    }
    if (body == null && dir != null) {
      Path f = dir.resolve(path.substring(1)).normalize();
      if (f.startsWith(dir) && Files.isRegularFile(f)) {
        body = Files.readAllBytes(f);
      } else if (f.startsWith(dir) && Files.isRegularFile(f.resolve("index.html"))) {
        body = Files.readAllBytes(f.resolve("index.html"));
      }
    }
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
