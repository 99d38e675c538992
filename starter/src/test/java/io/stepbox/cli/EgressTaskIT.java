package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.client.ExecResult;
import io.stepbox.client.SessionHandle;
import io.stepbox.client.SessionOptions;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.StepboxClientOptions;
import io.stepbox.egress.EgressSettings;
import io.stepbox.egress.LoopbackServer;
import io.stepbox.egress.TestPki;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks with egress on the real stack (Temporal dev server, SeaweedFS, dockerd with runsc): the
 * audit in the step result, the store, the CLI and the metrics; a secret nowhere but on the wire;
 * and {@code onDenied: approve} waiting for a person. Test names resolve through the proxies'
 * hosts map to a server on 127.0.0.1.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EgressTaskIT {
  static final String SECRET = "tok-" + UUID.randomUUID();

  @TempDir Path dir;
  Path state;
  LoopbackServer server;
  LoopbackServer tlsServer;
  StackFixture stack;

  @BeforeEach
  void start() throws Exception {
    server = LoopbackServer.http().serve("/hello", "hello from the mirror\n".getBytes());
    state = Path.of("/var/lib/stepbox/egress-it", UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(state);
    Files.writeString(state.resolve("hosts"), "127.0.0.1 mirror.test other.test\n");
    TestPki pki = TestPki.forNames(Files.createDirectories(state.resolve("pki")), "mirror.test");
    tlsServer =
        LoopbackServer.https(pki.serverContext())
            .serve("/hello", "hello from the mirror over TLS\n".getBytes());
    EgressSettings egress =
        EgressSettings.fromEnvironment(Map.of())
            .withSite(state, state.resolve("hosts"), List.of("127.0.0.1/32"), Optional.of(pki.ca()));
    stack = new StackFixture(dir, egress, Map.of("GITHUB_TOKEN", SECRET)).startWorker();
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
    server.close();
    tlsServer.close();
    assertThat(state.resolve("proxies")).as("proxies left running").isEmptyDirectory();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private String fetch(String host) {
    return fetchFrom("http://" + host + ":" + server.port());
  }

  private static String fetchFrom(String base) {
    return "python3 -c \"import urllib.request as u; print(u.urlopen('"
        + base
        + "/hello', timeout=30).read().decode())\"";
  }

  @Test
  void aStepsEgressIsAuditedAndItsSecretIsOnlyOnTheWire() throws Exception {
    int p = server.port();
    String mirror = "https://mirror.test:" + tlsServer.port();
    AgentTaskWorkflow task =
        stack.startTask(
            "egress-audit",
            String.join(
                "\n",
                "name: egress-audit",
                "image: stepbox/python:bookworm",
                "network: {allow: [\"mirror.test:" + tlsServer.port() + "\"]}",
                "secrets: [{name: GITHUB_TOKEN, hosts: [mirror.test]}]",
                "steps:",
                "  - id: fetch",
                "    run: " + quoted(fetchFrom(mirror) + "; " + fetch("other.test") + " || true"),
                ""));
    TaskStatus end = TaskEndToEndIT.await(task, TaskStatus::ended);
    assertThat(end.status()).as(end.error()).isEqualTo(TaskState.COMPLETED);
    AttemptStatus attempt = end.findStep("fetch").flatMap(StepStatus::finalAttempt).orElseThrow();
    assertThat(attempt.stdoutTail()).contains("hello from the mirror");
    EgressSummary egress = attempt.egress();
    assertThat(egress.allowed()).isEqualTo(1);
    assertThat(egress.withSecret()).isEqualTo(1);
    assertThat(egress.denied()).isEqualTo(1);
    assertThat(egress.firstDenials())
        .singleElement()
        .satisfies(d -> assertThat(d.host() + " " + d.reason()).isEqualTo("other.test NOT_ALLOWED"));
    assertThat(tlsServer.seen())
        .extracting(LoopbackServer.Seen::authorization)
        .containsExactly("Bearer " + SECRET);
    assertThat(server.seen()).as("the denied host").isEmpty();

    String history = decodedPayloads(stack.client().fetchHistory("egress-audit").toJson(true));
    assertThat(history).contains("other.test", "GITHUB_TOKEN").doesNotContain(SECRET);
    for (String ref : List.of(attempt.stdoutRef(), attempt.stderrRef(), egress.logRef())) {
      assertThat(blob(ref)).doesNotContain(SECRET);
    }
    assertThat(blob(egress.logRef())).contains("\"secret\":\"GITHUB_TOKEN\"");

    String logs = cli("logs", "egress-audit", "--step", "fetch", "--egress");
    assertThat(logs).contains("secret=GITHUB_TOKEN", "denied", "other.test:" + p);
    assertThat(cli("status", "egress-audit")).contains("other.test:" + p);

    assertThat(
            stack.metrics.registry().find("stepbox.egress.requests").tag("decision", "denied")
                .counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aDeniedHostWaitsForAPersonWhoseApprovalAddsIt() throws Exception {
    AgentTaskWorkflow approved = stack.startTask("egress-ask", askingSpec("egress-ask"));
    TaskStatus waiting =
        TaskEndToEndIT.await(approved, s -> s.status() == TaskState.WAITING_APPROVAL || s.ended());
    assertThat(waiting.status()).as(waiting.error()).isEqualTo(TaskState.WAITING_APPROVAL);
    StepStatus step = waiting.findStep("fetch").orElseThrow();
    assertThat(step.egressApproval().hosts()).containsExactly("other.test:" + server.port());
    approved.decide(Decision.approve("fetch", "alice", "the mirror is ours"));
    TaskStatus done = TaskEndToEndIT.await(approved, TaskStatus::ended);
    assertThat(done.status()).as(done.error()).isEqualTo(TaskState.COMPLETED);
    AttemptStatus last = done.findStep("fetch").flatMap(StepStatus::finalAttempt).orElseThrow();
    assertThat(last.stdoutTail()).contains("hello from the mirror");

    AgentTaskWorkflow rejected = stack.startTask("egress-no", askingSpec("egress-no"));
    TaskEndToEndIT.await(rejected, s -> s.status() == TaskState.WAITING_APPROVAL || s.ended());
    rejected.decide(Decision.reject("fetch", "bob", "not that host"));
    TaskStatus failed = TaskEndToEndIT.await(rejected, TaskStatus::ended);
    assertThat(failed.status()).isEqualTo(TaskState.FAILED);
    assertThat(failed.error()).contains("other.test", "bob");
  }

  @Test
  void aSessionsExecsReachTheHostsItWasStartedWith() throws Exception {
    try (StepboxClient client =
        StepboxClient.newInstance(
            stack.client(), StepboxClientOptions.newBuilder().setBlobStore(stack.blobs).build())) {
      SessionHandle session =
          client.openSession(
              SessionOptions.newBuilder("stepbox/python:bookworm")
                  .setAllowHosts(List.of("mirror.test:" + server.port()))
                  .build());
      ExecResult ok = session.exec(fetch("mirror.test"));
      assertThat(ok.exitCode()).as(ok.stderrTail()).isZero();
      assertThat(ok.stdoutTail()).contains("hello from the mirror");
      assertThat(ok.egress().allowed()).isEqualTo(1);
      ExecResult denied = session.exec(fetch("other.test"));
      assertThat(denied.exitCode()).isNotZero();
      assertThat(denied.egress().firstDenials())
          .extracting(d -> d.host() + " " + d.reason())
          .containsExactly("other.test NOT_ALLOWED");
      assertThat(session.egress(denied)).anyMatch(r -> r.denied() && r.host().equals("other.test"));
      session.close();
    }
  }

  private String askingSpec(String name) {
    return String.join(
        "\n",
        "name: " + name,
        "image: stepbox/python:bookworm",
        "network: {allow: [\"mirror.test:" + server.port() + "\"], onDenied: approve}",
        "steps:",
        "  - id: fetch",
        "    run: " + quoted(fetch("other.test")),
        "");
  }

  /** Runs the CLI in a child JVM against the stack (the store's credentials come from its env). */
  private String cli(String... argv) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(argv));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(stack.childEnv("cli"));
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(proc.exitValue()).as(out).isZero();
    return out;
  }

  /** The history's JSON with every payload's data decoded from base64 and added. */
  private static String decodedPayloads(String json) {
    StringBuilder all = new StringBuilder(json);
    // JSON escapes the padding '=' as \u003d.
    var m = java.util.regex.Pattern.compile("\"data\": \"([^\"]+)\"").matcher(json);
    while (m.find()) {
      String base64 = m.group(1).replace("\\u003d", "=");
      all.append('\n')
          .append(new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    }
    return all.toString();
  }

  private static String quoted(String line) {
    return "'" + line.replace("'", "''") + "'";
  }

  private String blob(String key) throws Exception {
    try (InputStream in = stack.blobs.get(key).orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
