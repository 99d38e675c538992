package io.stepbox.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.stepbox.cli.Converters;
import io.stepbox.cli.Cli;
import io.stepbox.client.ExecResult;
import io.stepbox.client.SessionHandle;
import io.stepbox.client.SessionOptions;
import io.stepbox.client.StepboxClient;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.worker.StepboxWorker;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.step.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code stepbox bench step [--runs N] [--json]}: a no-op step ({@code true}) through the whole
 * path (Temporal Update, workflow, activity, sandbox, snapshot) on a local dev server, cold (a new
 * session from a stored snapshot: restore on a fresh sandbox) and warm (the next exec of the same
 * session, reusing the worker's sandbox), against a bare sandbox create + exec + destroy measured
 * in the same run, interleaved.
 */
@Command(name = "step", description = "a no-op durable step, cold and warm, vs a bare sandbox")
final class BenchStepCommand implements Callable<Integer> {
  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "runs of each side (default 10)")
  double runCount = 10;

  @Option(names = "--json", description = "print the results as JSON")
  boolean json;
  private static final String IMAGE = Images.DEFAULT;
  private final Cli cli;

  BenchStepCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    int runs = Converters.atLeastOne("--runs", runCount);
    Path work = BenchIo.tempDir("stepbox-bench-step-");
    Samples kept = new Samples();
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (TemporalDevServer server =
            TemporalDevServer.newBuilder(work.resolve("temporal.db")).setUi(false).build().start();
        TemporalConnection temporal = TemporalConnection.connect(server.address(), "default");
        DockerSandboxRuntime runtime =
            DockerSandboxRuntime.connect(
                cli.config().dockerHost(),
                "bench-" + UUID.randomUUID().toString().substring(0, 8),
                registry);
        LocalBlobStore blobs = new LocalBlobStore(work.resolve("blobs"));
        StepboxWorker worker =
            new StepboxWorker(temporal.client(), runtime, blobs, Map.of(), 2, registry)) {
      StepboxClient client = StepboxClient.newInstance(temporal.client()); // try owns temporal
      rounds(runtime, client, runs, kept);
    } finally {
      deleteQuietly(work);
    }
    report(json, kept.bare, kept.cold, kept.warm, kept.coldResults, kept.warmResults);
    return 0;
  }

  /** Every round's samples but the warm-up's. */
  private static final class Samples {
    final List<Long> bare = new ArrayList<>();
    final List<Long> cold = new ArrayList<>();
    final List<Long> warm = new ArrayList<>();
    final List<StepResult> coldResults = new ArrayList<>();
    final List<StepResult> warmResults = new ArrayList<>();

    void add(Round round) {
      bare.add(round.bareMs());
      cold.add(round.coldMs());
      warm.add(round.warmMs());
      coldResults.add(round.cold());
      warmResults.add(round.warm());
    }
  }

  /** Two warm-up rounds, then {@code runs} kept in {@code kept}, with a progress mark each. */
  private void rounds(DockerSandboxRuntime runtime, StepboxClient client, int runs, Samples kept) {
    String base = seedSnapshot(client);
    for (int i = 0; i < 2 + runs; i++) {
      boolean keep = i >= 2; // two warm-up rounds
      Round round = round(runtime, client, base);
      if (keep) {
        kept.add(round);
      }
      if (!json) {
        cli.err().print(keep ? "." : "w");
      }
    }
    if (!json) {
      cli.err().println();
    }
  }

  /** A snapshot with one file in it: what every cold session starts from. */
  private static String seedSnapshot(StepboxClient client) {
    SessionHandle seed = session(client, null);
    String base = seed.exec("mkdir -p /w && echo base > /w/f").snapshotId();
    seed.close();
    return base;
  }

  /** One round's times (ms) and the steps' results: bare sandbox, cold exec, warm exec. */
  private record Round(long bareMs, long coldMs, long warmMs, StepResult cold, StepResult warm) {}

  /** A bare sandbox's create, exec and destroy, then a cold and a warm exec of a new session. */
  private static Round round(DockerSandboxRuntime runtime, StepboxClient client, String base) {
    long t = System.nanoTime();
    Sandbox s = runtime.create(SandboxSpec.newBuilder(IMAGE).build());
    runtime.exec(s, ExecRequest.shell("true"));
    runtime.destroy(s);
    long bareMs = BenchIo.ms(t);
    SessionHandle session = session(client, base);
    t = System.nanoTime();
    ExecResult c = session.exec("true");
    long coldMs = BenchIo.ms(t);
    t = System.nanoTime();
    ExecResult w = session.exec("true");
    long warmMs = BenchIo.ms(t);
    session.close();
    return new Round(bareMs, coldMs, warmMs, c.step(), w.step());
  }

  private static SessionHandle session(StepboxClient client, String base) {
    String id = "bench-step-" + UUID.randomUUID().toString().substring(0, 8);
    return client.openSession(
        SessionOptions.newBuilder(IMAGE).setBaseSnapshotId(base).setId(id).build());
  }

  private void report(
      boolean json,
      List<Long> bare,
      List<Long> cold,
      List<Long> warm,
      List<StepResult> coldResults,
      List<StepResult> warmResults) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runs", bare.size());
    r.put("bare_p50_ms", p50(bare));
    r.put("cold_p50_ms", p50(cold));
    r.put("warm_p50_ms", p50(warm));
    r.put("cold_ratio", Percentiles.ratio(p50(cold), p50(bare)));
    r.put("warm_ratio", Percentiles.ratio(p50(warm), p50(bare)));
    r.put("cold_phases_p50_ms", phases(coldResults, cold));
    r.put("warm_phases_p50_ms", phases(warmResults, warm));
    if (json) {
      cli.printJson(r);
      return;
    }
    cli.out().printf(
        Locale.ROOT,
        "bare sandbox create+exec+destroy p50 %d ms%ncold step p50 %d ms (ratio %.2f) phases %s%n"
            + "warm step p50 %d ms (ratio %.2f) phases %s%n",
        r.get("bare_p50_ms"),
        r.get("cold_p50_ms"),
        r.get("cold_ratio"),
        r.get("cold_phases_p50_ms"),
        r.get("warm_p50_ms"),
        r.get("warm_ratio"),
        r.get("warm_phases_p50_ms"));
  }

  /** Per-phase p50s; temporal is what the client waited beyond the activity's own time. */
  private static Map<String, Long> phases(List<StepResult> results, List<Long> client) {
    Map<String, Long> p = new LinkedHashMap<>();
    p.put(
        "sandbox",
        p50(
            results.stream()
                .map(x -> x.phases().sandboxMillis() - x.phases().restoreMillis())
                .toList()));
    p.put("restore", p50(results.stream().map(x -> x.phases().restoreMillis()).toList()));
    p.put("exec", p50(results.stream().map(x -> x.phases().execMillis()).toList()));
    p.put("snapshot", p50(results.stream().map(x -> x.phases().snapshotMillis()).toList()));
    List<Long> temporal = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      temporal.add(client.get(i) - results.get(i).phases().totalMillis());
    }
    p.put("temporal", p50(temporal));
    return p;
  }

  private static long p50(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
