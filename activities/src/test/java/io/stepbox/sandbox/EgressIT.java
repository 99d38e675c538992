package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.egress.EgressSettings;
import io.stepbox.egress.LoopbackServer;
import io.stepbox.egress.TestPki;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Egress through the proxy inside gVisor, against servers on 127.0.0.1 that the test starts; test
 * names resolve through the proxy's hosts map only, and nothing but loopback and the sandboxes
 * is ever a target.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EgressIT {
  static final String PYTHON = "stepbox/python:bookworm";
  static final String SECRET = "s3cr3t-" + UUID.randomUUID();

  static Path state;
  static TestPki pki;
  static LoopbackServer http;
  static LoopbackServer https;
  static SandboxFixture fx;

  @BeforeAll
  static void start() throws Exception {
    state = Path.of("/var/lib/stepbox/egress-it", UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(state.resolve("pki"));
    pki = TestPki.forNames(state.resolve("pki"), "tls.test", "secret.test", "pypi.test");
    http = LoopbackServer.http().serve("/hello", "hello through the proxy\n".getBytes());
    https = LoopbackServer.https(pki.serverContext()).serve("/big", bytes(3 << 20));
    Files.writeString(
        state.resolve("hosts"),
        String.join(
            "\n",
            "127.0.0.1 mirror.test tls.test secret.test other.test pypi.test",
            "127.0.0.2 loop2.test",
            ""));
    EgressSettings settings =
        EgressSettings.fromEnvironment(Map.of())
            .withSite(state, state.resolve("hosts"), List.of("127.0.0.1/32"), Optional.of(pki.ca()));
    fx = new SandboxFixture(settings, Map.of("GITHUB_TOKEN", SECRET, "AWS_SECRET_ACCESS_KEY", "x"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (fx != null) {
      fx.removeAll();
      fx.assertNothingLeft();
      fx.close();
    }
    assertThat(state.resolve("proxies")).isEmptyDirectory();
    http.close();
    https.close();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(7).nextBytes(b);
    return b;
  }

  private static Sandbox sandbox(EgressPolicy policy) {
    return fx.runtime.create(
        SandboxSpec.newBuilder(PYTHON).setNetwork(new NetworkPolicy.Egress(policy)).build());
  }

  private static CommandResult python(Sandbox s, String script) {
    return fx.runtime.exec(
        s,
        ExecRequest.newBuilder(List.of("python3", "-c", script))
            .setTimeout(Duration.ofMinutes(2))
            .setOutputLimit(1 << 20)
            .build());
  }

  /** A Python prelude: get(url) prints "status body-head" or the error. */
  static final String PRELUDE =
      String.join(
          "\n",
          "import os, socket, ssl, urllib.request, urllib.error",
          "os.environ.pop('no_proxy', None); os.environ.pop('NO_PROXY', None)",
          "def get(url):",
          "    try:",
          "        r = urllib.request.urlopen(url, timeout=20)",
          "        return '%d %s' % (r.status, r.read()[:60].decode(errors='replace').strip())",
          "    except urllib.error.HTTPError as e:",
          "        return '%d %s' % (e.code, e.read().decode(errors='replace').strip())",
          "    except Exception as e:",
          "        return 'ERR ' + type(e).__name__ + ' ' + str(e)",
          "");

  @Test
  void allowsNamedHostsAndDeniesEverythingElseWithAReason() throws Exception {
    int p = http.port();
    int seenBefore = http.seen().size();
    Sandbox s =
        sandbox(EgressPolicy.allowing(List.of("mirror.test:" + p, "loop2.test:" + p, "tls.test:" + https.port())));
    String script =
        PRELUDE
            + String.join(
                "\n",
                "print('ok', get('http://mirror.test:%d/hello'))",
                "print('other', get('http://other.test:%d/hello'))",
                "print('literal', get('http://127.0.0.1:%d/hello'))",
                "print('port', get('http://mirror.test:%d/hello'))",
                "print('private', get('http://loop2.test:%d/hello'))",
                "import hashlib",
                "r = urllib.request.urlopen('https://tls.test:%d/big', timeout=60).read()",
                "print('tls', len(r), hashlib.sha256(r).hexdigest())",
                "try:",
                "    socket.getaddrinfo('mirror.test', 80); print('dns', 'resolved')",
                "except Exception as e: print('dns', 'failed', type(e).__name__)",
                "")
            .formatted(p, p, p, p + 1, p, https.port());
    CommandResult r = python(s, script);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    String out = r.stdout();
    assertThat(out).contains("ok 200 hello through the proxy");
    assertThat(out).containsPattern("other 403 .*other.test:" + p + " is not on the sandbox's allow list");
    assertThat(out).containsPattern("literal 403 .*127.0.0.1:" + p + " is an IP address");
    assertThat(out).containsPattern("port 403 .*mirror.test:" + (p + 1) + " is allowed on other ports only");
    assertThat(out).containsPattern("private 403 .*loop2.test:" + p + " resolves to a loopback");
    assertThat(out).contains("tls " + (3 << 20) + " " + sha256(bytes(3 << 20)));
    assertThat(out).contains("dns failed");
    assertThat(http.seen().subList(seenBefore, http.seen().size()))
        .as("what reached the server: the allowed request only")
        .extracting(LoopbackServer.Seen::path)
        .containsExactly("/hello");

    List<EgressRecord> log = fx.runtime.egress(s);
    assertThat(log).filteredOn(EgressRecord::denied)
        .extracting(EgressRecord::host, EgressRecord::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("other.test", "NOT_ALLOWED"),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", "IP_LITERAL"),
            org.assertj.core.groups.Tuple.tuple("mirror.test", "PORT"),
            org.assertj.core.groups.Tuple.tuple("loop2.test", "PRIVATE_ADDRESS"));
    assertThat(log).filteredOn(e -> !e.denied())
        .extracting(EgressRecord::method, EgressRecord::host)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GET", "mirror.test"),
            org.assertj.core.groups.Tuple.tuple("CONNECT", "tls.test"));
    EgressRecord tunnel = log.get(log.size() - 1);
    assertThat(tunnel.bytesIn()).isGreaterThan(3 << 20);
    assertThat(tunnel.sni()).isEqualTo("tls.test");
    fx.runtime.destroy(s);
  }

  @Test
  void addsSecretsOnTheWayOutOverHttpsWithoutTheSandboxEverSeeingThem() throws Exception {
    int p = http.port();
    int tls = https.port();
    EgressSecret token = new EgressSecret("GITHUB_TOKEN", List.of("secret.test"), null, null);
    int seenHttp = http.seen().size();
    int seenHttps = https.seen().size();
    Sandbox s =
        sandbox(
            new EgressPolicy(
                List.of("secret.test:" + p, "secret.test:" + tls, "tls.test:" + tls),
                List.of(),
                List.of(token)));
    String script =
        PRELUDE
            + String.join(
                "\n",
                "def auth(url):",
                "    q = urllib.request.Request(url, headers={'Authorization': 'Bearer mine'})",
                "    return urllib.request.urlopen(q, timeout=20).status",
                "print('plain', auth('http://secret.test:%d/hello'))",
                "print('tls', auth('https://secret.test:%d/big'))",
                "print('untouched', auth('https://tls.test:%d/big'))",
                "gw = os.environ['HTTP_PROXY'].split('//')[1].split(':')[0]",
                "px = int(os.environ['HTTP_PROXY'].rsplit(':', 1)[1])",
                "c = socket.create_connection((gw, px), timeout=10)",
                "c.sendall(b'CONNECT tls.test:%d HTTP/1.1\\r\\nHost: tls.test:%d\\r\\n\\r\\n')",
                "print('connect', c.recv(100).split(b'\\r\\n')[0].decode())",
                "ctx = ssl.create_default_context()",
                "try:",
                "    t = ctx.wrap_socket(c, server_hostname='evil.test')",
                "    print('fronting', 'passed')",
                "except Exception as e: print('fronting', 'cut', type(e).__name__)",
                "def issuer(host):",
                "    c = socket.create_connection((gw, px), timeout=10)",
                "    c.sendall(('CONNECT %%s:%d HTTP/1.1\\r\\n\\r\\n' %% host).encode()); c.recv(100)",
                "    t = ctx.wrap_socket(c, server_hostname=host)",
                "    return dict(x[0] for x in t.getpeercert()['issuer'])['commonName']",
                "print('issuer-tls', issuer('tls.test'))",
                "print('issuer-secret', issuer('secret.test'))",
                "")
            .formatted(p, tls, tls, tls, tls, tls);
    CommandResult r = python(s, script);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("plain 200", "tls 200", "untouched 200", "connect HTTP/1.1 200", "fronting cut")
        // Only the secret's host is intercepted: every other host's TLS is the server's own.
        .contains("issuer-tls stepbox test CA", "issuer-secret stepbox egress CA");
    // Plain HTTP never carries the secret: the sandbox's own header passes unchanged.
    assertThat(http.seen().subList(seenHttp, http.seen().size()))
        .filteredOn(x -> x.host() != null && x.host().startsWith("secret.test"))
        .extracting(LoopbackServer.Seen::authorization)
        .containsExactly("Bearer mine");
    assertThat(https.seen().subList(seenHttps, https.seen().size()))
        .filteredOn(x -> x.host().startsWith("secret.test"))
        .extracting(LoopbackServer.Seen::authorization)
        .containsExactly("Bearer " + SECRET);
    assertThat(https.seen().subList(seenHttps, https.seen().size()))
        .filteredOn(x -> x.host().startsWith("tls.test"))
        .extracting(LoopbackServer.Seen::authorization)
        .containsOnly("Bearer mine");

    // Nowhere in the sandbox: not in any process's environment or arguments, nor in any file
    // (the pattern comes on stdin, so that the search itself does not hold it).
    CommandResult look =
        fx.runtime.exec(
            s,
            ExecRequest.newBuilder(
                    List.of(
                        "/bin/sh",
                        "-c",
                        "env; cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline | tr '\\0' '\\n';"
                            + " grep -rIl -F -f /dev/stdin --exclude-dir=proc --exclude-dir=sys"
                            + " --exclude-dir=dev / ; echo grep-exit=$?"))
                .setStdin(SECRET.getBytes(StandardCharsets.UTF_8))
                .setOutputLimit(4 << 20)
                .build());
    assertThat(look.stdout())
        .contains("HTTP_PROXY=", "grep-exit=1")
        .doesNotContain(SECRET);

    List<EgressRecord> log = fx.runtime.egress(s);
    assertThat(log)
        .filteredOn(e -> "secret.test".equals(e.host()) && !e.method().equals("CONNECT"))
        .extracting(EgressRecord::port, EgressRecord::secret)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(p, null),
            org.assertj.core.groups.Tuple.tuple(tls, "GITHUB_TOKEN"));
    assertThat(log)
        .filteredOn(EgressRecord::denied)
        .extracting(EgressRecord::reason, EgressRecord::sni)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("SNI", "evil.test"));
    assertThat(log.toString()).doesNotContain(SECRET);
    fx.runtime.destroy(s);
  }

  @Test
  void sandboxesKeepToTheirOwnListsAndReachNothingDirectly() throws Exception {
    int p = http.port();
    Sandbox a = sandbox(EgressPolicy.allowing(List.of("mirror.test:" + p)));
    Sandbox b = sandbox(EgressPolicy.allowing(List.of("other.test:" + p)));
    String bProxy = python(b, "import os; print(os.environ['HTTP_PROXY'])").stdout().trim();
    String bIp = fx.sh(b, "hostname -i 2>/dev/null || true").stdout().trim();
    String gateway = bProxy.split("//")[1].split(":")[0];
    try (ServerSocket bait = new ServerSocket()) {
      bait.bind(new InetSocketAddress(InetAddress.getByName(gateway), 0));
      String script =
          String.join(
                  "\n",
                  "import time, threading",
                  "print('mine', get('http://%s.test:%d/hello'))",
                  "print('theirs', get('http://%s.test:%d/hello'))",
                  "o = urllib.request.build_opener(urllib.request.ProxyHandler({'http': '%s'}))",
                  "try: print('borrowed', o.open('http://%s.test:%d/hello', timeout=20).status)",
                  "except urllib.error.HTTPError as e: print('borrowed', e.code, e.read().decode())",
                  "for host, port in [('%s', %d), ('%s', 8080)]:",
                  "    t = time.time()",
                  "    try:",
                  "        socket.create_connection((host, port), timeout=10); print('direct', 'connected')",
                  "    except Exception as e:",
                  "        print('direct', type(e).__name__, 'fast' if time.time() - t < 2 else 'slow')",
                  "");
      var ra =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  python(
                      a,
                      PRELUDE
                          + script.formatted(
                          "mirror", p, "other", p, bProxy, "other", p, gateway,
                          bait.getLocalPort(), bIp.isEmpty() ? gateway : bIp)));
      var rb =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  python(
                      b,
                      PRELUDE
                          + script.formatted(
                          "other", p, "mirror", p, bProxy, "mirror", p, gateway,
                          bait.getLocalPort(), gateway)));
      String outA = ra.get(2, TimeUnit.MINUTES).stdout();
      String outB = rb.get(2, TimeUnit.MINUTES).stdout();
      assertThat(outA).contains("mine 200").containsPattern("theirs 403 .*NOT_ALLOWED");
      assertThat(outA).containsPattern("borrowed 403 .*serves another sandbox");
      assertThat(outB).contains("mine 200").containsPattern("theirs 403 .*NOT_ALLOWED");
      assertThat(outA + outB).doesNotContain("connected").doesNotContain("slow");
      bait.setSoTimeout(200);
      org.assertj.core.api.Assertions.assertThatThrownBy(bait::accept)
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
    fx.runtime.destroy(a);
    fx.runtime.destroy(b);
  }

  @Test
  void gitClonesAndPipInstallsByHostNameThroughTheProxy() throws Exception {
    Path site = state.resolve("site");
    Path work = state.resolve("work");
    Files.createDirectories(work);
    run(work, "git", "init", "-q", "-b", "main", ".");
    Files.writeString(work.resolve("README"), "cloned through the egress proxy\n");
    run(work, "git", "add", "README");
    run(work, "git", "-c", "user.name=t", "-c", "user.email=t@t.test", "commit", "-qm", "one");
    run(state, "git", "clone", "-q", "--bare", work.toString(), site.resolve("repo.git").toString());
    run(site.resolve("repo.git"), "git", "update-server-info");
    Wheelhouse.write(site, "demo-pkg", "1.0", "VALUE = 'installed from the mirror'\n");
    try (LoopbackServer index = LoopbackServer.https(pki.serverContext()).serveDirectory(site)) {
      int port = index.port();
      Sandbox s = sandbox(EgressPolicy.allowing(List.of("tls.test:" + port, "pypi.test:" + port)));
      CommandResult r =
          fx.runtime.exec(
              s,
              ExecRequest.newBuilder(
                      List.of(
                          "/bin/sh",
                          "-c",
                          ("git clone -q https://tls.test:%d/repo.git /workspace/repo"
                                  + " && cat /workspace/repo/README"
                                  + " && python3 -m pip install -q --no-cache-dir --target"
                                  + " /workspace/lib --index-url https://pypi.test:%d/simple/"
                                  + " demo-pkg"
                                  + " && PYTHONPATH=/workspace/lib python3 -c"
                                  + " 'import demo_pkg; print(demo_pkg.VALUE)'")
                              .formatted(port, port)))
                  .setTimeout(Duration.ofMinutes(3))
                  .build());
      assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
      assertThat(r.stdout()).contains("cloned through the egress proxy", "installed from the mirror");
      List<EgressRecord> log = fx.runtime.egress(s);
      assertThat(log).isNotEmpty().noneMatch(EgressRecord::denied);
      assertThat(log).extracting(EgressRecord::host).contains("tls.test", "pypi.test");
      fx.runtime.destroy(s);
    }
  }

  @Test
  void fiveSandboxesDownloadInParallelAndTheProxiesStaySmall() throws Exception {
    int files = 20;
    for (int i = 0; i < files; i++) {
      http.serve("/load/" + i, bytes(1 << 20));
    }
    List<Sandbox> boxes = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      boxes.add(sandbox(EgressPolicy.allowing(List.of("mirror.test:" + http.port()))));
    }
    String script =
        String.join(
            "\n",
            "import urllib.request, concurrent.futures",
            "def one(i):",
            "    return len(urllib.request.urlopen('http://mirror.test:%d/load/%%d' %% i, timeout=60).read())",
            "with concurrent.futures.ThreadPoolExecutor(%d) as ex:",
            "    sizes = list(ex.map(one, range(%d)))",
            "print('fetched', sum(1 for n in sizes if n == %d))",
            "")
            .formatted(http.port(), files, files, 1 << 20);
    List<java.util.concurrent.CompletableFuture<CommandResult>> runs =
        boxes.stream()
            .map(b -> java.util.concurrent.CompletableFuture.supplyAsync(() -> python(b, script)))
            .toList();
    for (var run : runs) {
      CommandResult r = run.get(3, TimeUnit.MINUTES);
      assertThat(r.stdout()).as(r.stderr()).contains("fetched " + files);
    }
    for (Sandbox b : boxes) {
      assertThat(fx.runtime.egress(b)).hasSize(files).noneMatch(EgressRecord::denied);
    }
    for (long rss : squidResidentKib()) {
      assertThat(rss).as("resident KiB of a proxy").isLessThan(96 * 1024);
    }
    boxes.forEach(fx.runtime::destroy);
  }

  @Test
  void aDeadProxyClosesTheWayOutAndFailsTheAuditAsRetryable() throws Exception {
    Sandbox s = sandbox(EgressPolicy.allowing(List.of("mirror.test:" + http.port())));
    ProcessHandle squid = squidOf(s).orElseThrow();
    squid.destroyForcibly();
    squid.onExit().get(30, TimeUnit.SECONDS);
    CommandResult r =
        python(s, PRELUDE + "print('after', get('http://mirror.test:%d/hello'))".formatted(http.port()));
    assertThat(r.stdout()).contains("after ERR").doesNotContain("after 200");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.runtime.egress(s))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("egress proxy of this sandbox died")
        .satisfies(e -> assertThat(((SandboxException) e).retryable()).isTrue());
    fx.runtime.destroy(s);
  }

  @Test
  void aProxyEndsSoonAfterItsSandboxStops() throws Exception {
    Sandbox s =
        fx.runtime.create(
            SandboxSpec.newBuilder(PYTHON)
                .setLifetime(Duration.ofSeconds(3))
                .setNetwork(
                    new NetworkPolicy.Egress(
                        EgressPolicy.allowing(List.of("mirror.test:" + http.port()))))
                .build());
    assertThat(squidOf(s)).isPresent();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (squidOf(s).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling /proc: the sandbox's lifetime ends, then its proxy
    }
    assertThat(squidOf(s)).as("the proxy of a stopped sandbox").isEmpty();
    fx.runtime.destroy(s);
  }

  private static Optional<ProcessHandle> squidOf(Sandbox s) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().orElse("").endsWith("/squid"))
        .filter(
            h ->
                h.info()
                    .arguments()
                    .map(a -> String.join(" ", a))
                    .orElse("")
                    .contains("proxies/" + s.id()))
        .findFirst();
  }

  /** Resident memory of this test's Squid processes, from /proc. */
  private static List<Long> squidResidentKib() throws IOException {
    List<Long> out = new java.util.ArrayList<>();
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      String args = h.info().arguments().map(a -> String.join(" ", a)).orElse("");
      if (!args.contains(state.toString())) {
        continue;
      }
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          out.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    }
    assertThat(out).as("the proxies of this test").isNotEmpty();
    return out;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}
