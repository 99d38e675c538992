package io.stepbox.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * Serves a registry's scrape at {@code GET /metrics} in the Prometheus text format, on the JDK's
 * HTTP server with one daemon thread. Anything else is a 404.
 */
final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;

  private MetricsServer(HttpServer server, ExecutorService executor, String host) {
    this.server = server;
    this.executor = executor;
    String shown = host.contains(":") ? "[" + host + "]" : host;
    this.url = "http://" + shown + ":" + server.getAddress().getPort() + "/metrics";
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @throws MetricsException when the port is in use or the host cannot be bound, naming the
   *     variable to change
   */
  static MetricsServer start(MetricsAddress address, PrometheusMeterRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
    } catch (BindException e) {
      throw new MetricsException(
          "cannot serve metrics on "
              + address.host()
              + ":"
              + address.port()
              + " ("
              + e.getMessage()
              + "): set STEPBOX_METRICS_PORT to a free port, 0 for any free port, or off; or"
              + " STEPBOX_METRICS_HOST to an address of this host",
          e);
    } catch (IOException e) {
      throw new MetricsException(
          "cannot serve metrics on "
              + address.host()
              + ":"
              + address.port()
              + " ("
              + e
              + "): set STEPBOX_METRICS_HOST to an address of this host, such as 127.0.0.1",
          e);
    }
    ExecutorService executor = DaemonThreads.single("stepbox-metrics-http");
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, registry));
    server.start();
    return new MetricsServer(server, executor, address.host());
  }

  private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      boolean found = exchange.getRequestURI().getPath().equals("/metrics");
      boolean get = exchange.getRequestMethod().equals("GET");
      byte[] body =
          (found && get ? registry.scrape() : found ? "use GET\n" : "not found: try /metrics\n")
              .getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set("Content-Type", found && get ? CONTENT_TYPE : "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(found && get ? 200 : found ? 405 : 404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The endpoint's full URL, such as {@code http://127.0.0.1:9464/metrics}. */
  String url() {
    return url;
  }

  /** The port bound (the free one picked for port 0). */
  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
