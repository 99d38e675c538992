package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against the real dockerd with runsc, in process. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliIT {
  /**
   * The worker id of this class's demo stacks: their reapers leave other runs' sandboxes alone, and
   * the check for leftovers looks only at this class's sandboxes (the machine may be shared).
   */
  private static final String WORKER =
      "cli-it-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path tmp;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  private int run(String... argv) {
    return run(Map.of(), argv);
  }

  /** Runs the CLI in process with the data directory under the test's and {@code env} added. */
  private int run(Map<String, String> env, String... argv) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("STEPBOX_DATA_DIR", tmp.resolve("data").toString());
    all.putIfAbsent("STEPBOX_WORKER_ID", WORKER);
    all.putIfAbsent("STEPBOX_METRICS_PORT", "0");
    return Main.run(
        List.of(argv),
        StepboxConfig.from(all),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<String> before;

  private List<String> sandboxIds() {
    assertThat(run("sandbox", "ls", "--json")).isZero();
    try {
      List<String> ids = new java.util.ArrayList<>();
      for (JsonNode sandbox : new ObjectMapper().readTree(stdout())) {
        String worker = sandbox.at("/labels/stepbox.worker").asText();
        if (worker.equals(WORKER) || worker.equals(Cli.CLI_WORKER)) {
          ids.add(sandbox.get("id").asText());
        }
      }
      return ids;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeEach
  void noteSandboxes() {
    before = sandboxIds();
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(sandboxIds())
        .as("sandboxes left by the test")
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void runExitsWithTheCommandsCodeAndKeepsStreamsApart() {
    assertThat(run("sandbox", "run", "--", "sh", "-c", "echo out; echo err >&2; exit 7"))
        .isEqualTo(7);
    assertThat(stdout()).isEqualTo("out\n");
    assertThat(err.toString()).isEqualTo("err\n");
    assertThat(run("sandbox", "run", "--timeout", "1s", "--", "sleep", "30")).isEqualTo(124);
    assertThat(err.toString()).contains("timed out after 1s");
    assertThat(run("sandbox", "run", "--image", "stepbox/none:1", "--", "true")).isEqualTo(125);
    assertThat(err.toString()).contains("never pulls");
  }

  @Test
  void aSandboxWithAllowedHostsHasAProxyOfItsOwnUntilItIsRemoved() throws Exception {
    assertThat(
            run(
                "sandbox", "create", "--image", "stepbox/python:bookworm", "--lifetime", "10m",
                "--allow-host", "pypi.example.test"))
        .isZero();
    List<String> lines = stdout().lines().toList();
    String id = lines.get(lines.size() - 1);
    try {
      assertThat(squidsOf(id)).as("the sandbox's proxy").hasSize(1);
      // A host not on the list: denied by name at the proxy, so no name is ever resolved.
      int code =
          run(
              "sandbox", "exec", id, "--", "python3", "-c",
              "import urllib.request as u\n"
                  + "try: u.urlopen('http://other.example.test/', timeout=20)\n"
                  + "except Exception as e: print(e.code, e.read().decode())");
      assertThat(code).isZero();
      assertThat(stdout()).startsWith("403 ").contains("--allow-host other.example.test");
    } finally {
      assertThat(run("sandbox", "rm", id)).isZero();
    }
    assertThat(squidsOf(id)).as("proxies of the removed sandbox").isEmpty();
    assertThat(run("sandbox", "create", "--allow-host", "10.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).contains("is an IP address");
  }

  private static List<ProcessHandle> squidsOf(String containerId) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().orElse("").endsWith("/squid"))
        .filter(
            h ->
                h.info().arguments().map(a -> String.join(" ", a)).orElse("")
                    .contains("proxies/" + containerId))
        .toList();
  }

  @Test
  void createExecCopyListRemove() throws Exception {
    assertThat(run("sandbox", "create", "--memory", "256m", "--lifetime", "10m")).isZero();
    List<String> lines = stdout().lines().toList();
    String id = lines.get(lines.size() - 1);
    assertThat(id).matches("[0-9a-f]{64}");
    try {
      assertThat(
              run(
                  "sandbox",
                  "exec",
                  id.substring(0, 12),
                  "--",
                  "sh",
                  "-c",
                  "mkdir -p /workspace/d && echo made > /workspace/d/f"))
          .isZero();
      Files.writeString(tmp.resolve("local.txt"), "from host\n");
      assertThat(run("sandbox", "cp", tmp.resolve("local.txt").toString(), id + ":/workspace/d"))
          .isZero();
      assertThat(run("sandbox", "exec", id, "--", "cat", "/workspace/d/local.txt")).isZero();
      assertThat(stdout()).isEqualTo("from host\n");
      assertThat(run("sandbox", "cp", id + ":/workspace/d", tmp.resolve("out").toString()))
          .isZero();
      assertThat(Files.readString(tmp.resolve("out/d/f"))).isEqualTo("made\n");
      // A directory with a relative symlink goes in as a link, not as a copy of its target.
      Path tree = Files.createDirectories(tmp.resolve("tree"));
      Files.writeString(tree.resolve("target.txt"), "t\n");
      Files.createSymbolicLink(tree.resolve("link"), Path.of("target.txt"));
      assertThat(run("sandbox", "cp", tree.toString(), id + ":/workspace")).isZero();
      assertThat(
              run(
                  "sandbox",
                  "exec",
                  id,
                  "--",
                  "sh",
                  "-c",
                  "readlink /workspace/tree/link; cat /workspace/tree/link"))
          .isZero();
      assertThat(stdout()).isEqualTo("target.txt\nt\n");
      // A link the sandbox points outside the destination is refused, nothing is written there.
      assertThat(run("sandbox", "exec", id, "--", "ln", "-s", "/etc", "/workspace/d/escape"))
          .isZero();
      assertThat(run("sandbox", "cp", id + ":/workspace/d", tmp.resolve("out2").toString()))
          .isEqualTo(1);
      assertThat(err.toString()).contains("escape", "outside");
      assertThat(run("sandbox", "ls", "--json")).isZero();
      JsonNode listed = new ObjectMapper().readTree(stdout());
      assertThat(listed.findValuesAsText("id")).contains(id);
    } finally {
      assertThat(run("sandbox", "rm", id)).isZero();
    }
    assertThat(run("sandbox", "exec", id, "--", "true")).isEqualTo(1);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void doctorPassesOnAProvisionedHost() throws Exception {
    assertThat(run("doctor", "--json")).as(stdout()).isZero();
    JsonNode report = new ObjectMapper().readTree(stdout());
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("checks").findValuesAsText("name"))
        .contains("docker", "runsc", "gvisor", "image stepbox/base:busybox");
  }

  @Test
  void demoRunsTheDurableTaskOnALocalStackAndPrintsTheFinalStatus() throws Exception {
    System.setProperty("stepbox.home", Path.of("..").toAbsolutePath().normalize().toString());
    assertThat(run("demo", "--json")).as(err.toString()).isZero();
    JsonNode demo = new ObjectMapper().readTree(stdout());
    assertThat(demo.get("status").asText()).isEqualTo("COMPLETED");
    JsonNode steps = demo.get("steps");
    assertThat(steps.findValuesAsText("id")).containsExactly("clone", "install", "test", "publish");
    JsonNode test = steps.get(2);
    assertThat(test.get("approach").asText()).isEqualTo("apply-fix");
    assertThat(test.get("attempts").findValuesAsText("exitCode")).containsExactly("1", "0");
    assertThat(steps.get(3).get("approval").get("by").asText()).isEqualTo("stepbox-demo");
    assertThat(demo.get("exportsRef").asText()).startsWith("exports/");
    assertThat(err.toString())
        .as("the dev server serves its Web UI, and the demo links to the task's page")
        .containsPattern(
            "task page \\(Temporal Web UI\\): http://127\\.0\\.0\\.1:\\d+/namespaces/default/"
                + "workflows/fix-calc-[0-9a-f]{8}\n");
  }

  @Test
  void demoFallsBackToTheInMemoryServerWhenTheTemporalCliIsHidden() throws Exception {
    System.setProperty("stepbox.home", Path.of("..").toAbsolutePath().normalize().toString());
    Map<String, String> noCli = Map.of("STEPBOX_TEMPORAL_CLI", "none");
    assertThat(run(noCli, "demo", "--json")).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("STEPBOX_TEMPORAL_CLI=none", "in-memory", "Nothing survives a restart")
        .contains("Schedules and `stepbox list` need the real server", "./stepbox setup")
        .doesNotContain("local Temporal dev server")
        .doesNotContain("task page");
    JsonNode demo = new ObjectMapper().readTree(stdout());
    assertThat(demo.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(demo.get("steps").findValuesAsText("id"))
        .containsExactly("clone", "install", "test", "publish");
    assertThat(tmp.resolve("data/temporal")).as("no dev server was started").doesNotExist();

    assertThat(run(noCli, "demo", "--interactive")).isEqualTo(2);
    assertThat(err.toString()).contains("--interactive", "cannot reach the in-memory server");
  }

  @Test
  void benchStepPrintsTheRatiosItPromises() throws Exception {
    assertThat(run("bench", "step", "--runs", "2", "--json")).as(err.toString()).isZero();
    JsonNode bench = new ObjectMapper().readTree(stdout());
    for (String key :
        List.of("bare_p50_ms", "cold_p50_ms", "warm_p50_ms", "cold_ratio", "warm_ratio")) {
      assertThat(bench.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(bench.get("cold_phases_p50_ms").get("restore").asLong()).isPositive();
    assertThat(bench.get("warm_phases_p50_ms").get("restore").asLong()).isZero();
  }

  @Test
  void benchPrintsTheFiguresItPromises() throws Exception {
    assertThat(run("bench", "sandbox", "--runs", "2", "--json")).isZero();
    JsonNode bench = new ObjectMapper().readTree(stdout());
    assertThat(bench.get("p50_ms").asDouble()).isPositive();
    assertThat(bench.get("baseline_p50_ms").asDouble()).isPositive();
    assertThat(bench.get("ratio").asDouble()).isPositive();
    assertThat(bench.get("exec_p50_ms").asDouble()).isPositive();
    assertThat(bench.get("docker_exec_p50_ms").asDouble()).isPositive();
    assertThat(bench.get("exec_ratio").asDouble()).isPositive();
  }

  private String lastLine() {
    String[] lines = stdout().strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void snapshotRestoreVerifyExportAndCollect() throws Exception {
    assertThat(run("sandbox", "create")).isZero();
    String sandbox = lastLine();
    try {
      assertThat(
              run(
                  "sandbox",
                  "exec",
                  sandbox,
                  "--",
                  "sh",
                  "-c",
                  "mkdir /w && echo kept > /w/f && rm /etc/passwd"))
          .isZero();
      assertThat(run("sandbox", "snapshot", sandbox)).isZero();
      String id = lastLine();
      assertThat(run("snapshot", "ls", "--json")).isZero();
      assertThat(new ObjectMapper().readTree(stdout()).findValuesAsText("id")).containsExactly(id);
      assertThat(run("snapshot", "show", id)).isZero();
      assertThat(stdout()).contains("deleted        /etc/passwd");
      assertThat(run("snapshot", "verify", id)).isZero();

      assertThat(run("sandbox", "create", "--from-snapshot", id)).isZero();
      String restored = lastLine();
      assertThat(
              run("sandbox", "exec", restored, "--", "sh", "-c", "cat /w/f; test ! -e /etc/passwd"))
          .isZero();
      assertThat(stdout()).isEqualTo("kept\n");
      assertThat(run("sandbox", "rm", restored)).isZero();

      Path tar = tmp.resolve("out.tar");
      assertThat(run("snapshot", "export", id, tar.toString())).isZero();
      Process list = new ProcessBuilder("tar", "-tf", tar.toString()).start();
      assertThat(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("./w/f");

      assertThat(run("snapshot", "verify", "s-nope")).isEqualTo(1);
      assertThat(run("snapshot", "rm", id)).isZero();
      assertThat(run("snapshot", "gc", "--grace", "0s")).isZero();
      assertThat(stdout()).startsWith("removed ").doesNotContain("removed 0 chunk");
      assertThat(run("snapshot", "ls", "--json")).isZero();
      assertThat(new ObjectMapper().readTree(stdout()).size()).isZero();
    } finally {
      run("sandbox", "rm", sandbox);
    }
  }

  @Test
  void benchSnapshotPrintsTheFiguresItPromises() throws Exception {
    assertThat(run("bench", "snapshot", "--json")).isZero();
    JsonNode bench = new ObjectMapper().readTree(stdout());
    for (String key :
        List.of(
            "full_ratio",
            "incremental_ms",
            "incremental_uploaded_bytes",
            "restore_ratio",
            "peak_heap_mb")) {
      assertThat(bench.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(bench.get("tree_files").asInt()).isEqualTo(20_000);
    // Each timed figure is the best of its side's rounds, all of them printed: 4 full rounds, and
    // 4 to 8 restore rounds (more while the last one still cut a best).
    int restoreRounds = bench.get("restore_rounds").asInt();
    assertThat(restoreRounds).isBetween(4, 8);
    for (String side : List.of("full", "baseline_full", "restore", "baseline_restore")) {
      JsonNode runs = bench.get(side + "_runs_ms");
      assertThat(runs).as(side).hasSize(side.contains("restore") ? restoreRounds : 4);
      long best =
          java.util.stream.StreamSupport.stream(runs.spliterator(), false)
              .mapToLong(JsonNode::asLong)
              .min()
              .orElseThrow();
      assertThat(bench.get(side + "_ms").asLong()).as(side).isEqualTo(best);
    }
    assertThat(bench.get("full_runs_jit_ms")).hasSize(4);
    assertThat(bench.get("warm_up_captures").asInt()).isBetween(2, 16);
    assertThat(bench.get("warm_up_jit_ms")).hasSize(bench.get("warm_up_captures").asInt());
  }
}
