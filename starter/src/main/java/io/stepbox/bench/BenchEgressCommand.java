package io.stepbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepbox.cli.Cli;
import io.stepbox.cli.Converters;
import io.stepbox.egress.EgressSettings;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.NetworkPolicy;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.egress.EgressPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepbox bench egress [--runs N] [--json]}: a 50 MiB file and 200 small files fetched
 * from a server on the host, by a sandbox through its egress proxy and by a sandbox on a plain
 * internal network with no proxy, alternately in one run. Reports the throughput ratio and the
 * proxy's added p50 per small request. The server binds the bench network's gateway only.
 */
@Command(name = "egress", description = "fetches through the egress proxy vs the same without it")
final class BenchEgressCommand implements Callable<Integer> {
  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "rounds of each side (default 3)")
  double runCount = 3;

  @Option(names = "--json", description = "print the results as JSON")
  boolean json;

  static final int BIG = 50 << 20;
  static final int SMALL = 200;
  static final int SMALL_BYTES = 1024;

  /** Fetches {@code /big} once and the small files one by one; prints the timings as JSON. */
  static final String SCRIPT =
      String.join(
          "\n",
          "import json, sys, time, urllib.request",
          "base, n = sys.argv[1], int(sys.argv[2])",
          "t = time.perf_counter()",
          "size = len(urllib.request.urlopen(base + '/big', timeout=600).read())",
          "big = time.perf_counter() - t",
          "small = []",
          "for i in range(n):",
          "    t = time.perf_counter()",
          "    urllib.request.urlopen(base + '/small/%d' % i, timeout=60).read()",
          "    small.append(time.perf_counter() - t)",
          "print(json.dumps({'bytes': size, 'big_s': big, 'small_s': small}))",
          "");

  private final Cli cli;

  BenchEgressCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    int runs = Converters.atLeastOne("--runs", runCount);
    String id = UUID.randomUUID().toString().substring(0, 8);
    try (BenchNetwork net = BenchNetwork.create(cli.config().dockerHost(), "stepbox-bench-" + id)) {
      HttpServer server = server(net.gateway());
      Path state = Path.of("/var/lib/stepbox/bench-egress", id);
      try (DockerSandboxRuntime rt = runtime(state, net.gateway(), id)) {
        Results r = measure(rt, net, server.getAddress().getPort(), runs);
        if (json) {
          cli.printJson(r.asMap());
        } else {
          r.asMap().forEach((k, v) -> cli.out().printf("%-34s %s%n", k, v));
        }
      } finally {
        server.stop(0);
        io.stepbox.cli.HostCommand.deleteTree(state);
      }
    }
    return 0;
  }

  private static HttpServer server(String gateway) throws IOException {
    // Answers go out at once, as from any real web server: without it, the JDK's server holds a
    // response's body back until the headers are acknowledged (Nagle), and a receiver that
    // delays its ACK (the proxy's Linux socket, unlike gVisor's) waits for its timer each time.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer s = HttpServer.create(new InetSocketAddress(gateway, 0), 256);
    byte[] big = new byte[BIG];
    new java.util.Random(1).nextBytes(big);
    byte[] small = new byte[SMALL_BYTES];
    s.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestURI().getPath().equals("/big") ? big : small;
          ex.sendResponseHeaders(200, body.length);
          try (var out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    s.setExecutor(Executors.newFixedThreadPool(4));
    s.start();
    return s;
  }

  private DockerSandboxRuntime runtime(Path state, String gateway, String id) throws IOException {
    Files.createDirectories(state);
    Files.writeString(state.resolve("hosts"), gateway + " bench.test\n");
    EgressSettings settings =
        EgressSettings.fromEnvironment()
            .withSite(state, state.resolve("hosts"), List.of(gateway + "/32"), Optional.empty());
    return DockerSandboxRuntime.connect(
        cli.config().dockerHost(), "bench-egress-" + id, new SimpleMeterRegistry(), settings, Map.of());
  }

  private Results measure(DockerSandboxRuntime rt, BenchNetwork net, int port, int runs) {
    SandboxSpec spec = SandboxSpec.newBuilder(Images.PYTHON).build();
    Sandbox direct =
        rt.create(spec.toBuilder().setNetwork(new NetworkPolicy.Internal(net.name())).build());
    Sandbox proxied = null;
    try {
      proxied =
          rt.create(
              spec.toBuilder()
                  .setNetwork(
                      new NetworkPolicy.Egress(
                          EgressPolicy.allowing(List.of("bench.test:" + port))))
                  .build());
      String directBase = "http://" + net.gateway() + ":" + port;
      String proxyBase = "http://bench.test:" + port;
      Results r = rounds(rt, direct, directBase, proxied, proxyBase, runs);
      r.audited = rt.egress(proxied).size();
      return r;
    } finally {
      rt.destroy(direct);
      if (proxied != null) {
        rt.destroy(proxied);
      }
    }
  }

  /** A warm-up of both sides, then {@code runs} rounds, the side that goes first alternating. */
  private Results rounds(
      DockerSandboxRuntime rt,
      Sandbox direct,
      String directBase,
      Sandbox proxied,
      String proxyBase,
      int runs) {
    Results r = new Results();
    fetch(rt, direct, directBase, 5); // the interpreter and both paths
    fetch(rt, proxied, proxyBase, 5);
    for (int i = 0; i < runs; i++) {
      boolean proxyFirst = i % 2 == 1;
      if (proxyFirst) {
        r.proxy.add(fetch(rt, proxied, proxyBase, SMALL));
      }
      r.direct.add(fetch(rt, direct, directBase, SMALL));
      if (!proxyFirst) {
        r.proxy.add(fetch(rt, proxied, proxyBase, SMALL));
      }
      if (!json) {
        cli.err().print(".");
      }
    }
    if (!json) {
      cli.err().println();
    }
    return r;
  }

  private JsonNode fetch(DockerSandboxRuntime rt, Sandbox s, String base, int small) {
    CommandResult r =
        rt.exec(
            s,
            ExecRequest.newBuilder(List.of("python3", "-c", SCRIPT, base, Integer.toString(small)))
                .setTimeout(Duration.ofMinutes(10))
                .setOutputLimit(1 << 20)
                .build());
    if (!r.succeeded()) {
      throw new IllegalStateException("the bench fetch failed: " + r.stderr());
    }
    try {
      JsonNode n = cli.json().readTree(r.stdout());
      if (n.get("bytes").asLong() != BIG) {
        throw new IllegalStateException("the bench fetched " + n.get("bytes") + " bytes of /big");
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The timings of both sides, and what they come to. */
  static final class Results {
    final List<JsonNode> direct = new ArrayList<>();
    final List<JsonNode> proxy = new ArrayList<>();
    int audited;

    Map<String, Object> asMap() {
      double directMib = mibPerSecond(direct);
      double proxyMib = mibPerSecond(proxy);
      double directP50 = smallP50Ms(direct);
      double proxyP50 = smallP50Ms(proxy);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runs", direct.size());
      m.put("big_mib", BIG >> 20);
      m.put("small_requests", SMALL);
      m.put("direct_mib_s", round(directMib));
      m.put("proxy_mib_s", round(proxyMib));
      m.put("throughput_ratio", round(proxyMib / directMib));
      m.put("small_request_p50_ms_direct", round(directP50));
      m.put("small_request_p50_ms_proxy", round(proxyP50));
      m.put("small_request_p50_ms", round(proxyP50 - directP50));
      m.put("audited_requests", audited);
      m.put("target_throughput_ratio", ">= 0.7");
      m.put("target_small_request_p50_ms", "<= 5 (overhead)");
      return m;
    }

    /** The median over rounds of the big file's throughput. */
    private static double mibPerSecond(List<JsonNode> runs) {
      List<Double> rates = new ArrayList<>();
      for (JsonNode n : runs) {
        rates.add(BIG / 1048576.0 / n.get("big_s").asDouble());
      }
      return median(rates);
    }

    /** The p50 of every small request of every round. */
    private static double smallP50Ms(List<JsonNode> runs) {
      List<Double> all = new ArrayList<>();
      for (JsonNode n : runs) {
        n.get("small_s").forEach(x -> all.add(x.asDouble() * 1000));
      }
      return median(all);
    }

    private static double median(List<Double> xs) {
      List<Double> s = xs.stream().sorted().toList();
      return s.isEmpty() ? 0 : s.get((s.size() - 1) / 2);
    }

    private static double round(double x) {
      return Math.round(x * 100) / 100.0;
    }
  }
}
