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
        new EgressSettings(
            Path.of("/usr/sbin/squid"),
            Path.of("/usr/lib/squid/security_file_certgen"),
            state,
            EgressSettings.DEFAULT_NETWORK,
            Optional.of(state.resolve("hosts")),
            List.of("127.0.0.1/32"),
            Optional.of(pki.ca()),
            List.of(),
            EgressSettings.DEFAULT_PORT);
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
    assertThat(http.seen()).extracting(LoopbackServer.Seen::path).containsExactly("/hello");

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

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}
