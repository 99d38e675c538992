package io.stepbox.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepbox.cli.Converters;
import io.stepbox.cli.Cli;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.HostCommand;
import io.stepbox.client.StepboxClient;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.local.TemporalDevServer;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.SandboxInfo;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.worker.StepboxWorker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code stepbox bench workload [--runs N] [--json]}: a real package's own test suite (clone,
 * offline install, pytest) three ways in one process: in one runc container (the baseline), in one
 * container under runsc, and as a durable task of three steps on a local dev server with an
 * in-process worker. Each run holds one of each, in a rotated order; there is no warm-up round.
 */
@Command(name = "workload", description = "a PyPI package's own tests: runc, runsc, durable task")
final class BenchWorkloadCommand implements Callable<Integer> {
  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "runs of each side (default 3)")
  double runCount = 3;

  @Option(names = "--json", description = "print the results as JSON")
  boolean json;
  static final WorkloadPackage PACKAGE = WorkloadPackage.MORE_ITERTOOLS;
  static final String BASELINE = "baseline";
  static final String GVISOR = "gvisor";
  static final String DURABLE = "durable";
  static final List<String> WAYS = List.of(BASELINE, GVISOR, DURABLE);
  private final Cli cli;

  BenchWorkloadCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    int runs = Converters.atLeastOne("--runs", runCount);
    Path temporalCli =
        TemporalDevServer.findBinary(cli.config().temporalCli())
            .orElseThrow(
                () ->
                    new CommandException(
                        125,
                        "bench workload runs its durable way on the temporal CLI's dev server,"
                            + " which was not found (STEPBOX_TEMPORAL_CLI, PATH, /usr/local/bin,"
                            + " /opt/stepbox/tools/bin): ./stepbox setup installs it",
                        null));
    Workload work = new Workload(Wheelhouse.ensure(cli.config().dataDir(), PACKAGE, cli::note));
    WorkloadReport report = new WorkloadReport(PACKAGE, measure(work, runs, temporalCli));
    if (json) {
      cli.printJson(report.asMap());
    } else {
      report.table().forEach(cli.out()::println);
    }
    return 0;
  }

  private Map<String, List<WorkloadWays.Timing>> measure(Workload work, int runs, Path binary) {
    Map<String, List<WorkloadWays.Timing>> results = new LinkedHashMap<>();
    WAYS.forEach(w -> results.put(w, new ArrayList<>()));
    Path tmp = BenchIo.tempDir("stepbox-bench-workload-");
    String workerId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    var registry = new SimpleMeterRegistry();
    try (DockerSandboxRuntime runtime =
        DockerSandboxRuntime.connect(cli.config().dockerHost(), workerId, registry)) {
      try (TemporalDevServer server =
              TemporalDevServer.newBuilder(tmp.resolve("temporal.db"))
                  .setBinary(binary)
                  .setUi(false)
                  .build()
                  .start();
          TemporalConnection temporal = TemporalConnection.connect(server.address(), "default");
          LocalBlobStore blobs = new LocalBlobStore(tmp.resolve("blobs"));
          StepboxWorker worker =
              new StepboxWorker(temporal.client(), runtime, blobs, Map.of(), 2, registry);
          StepboxClient client = StepboxClient.newInstance(temporal.client())) {
        Map<String, Supplier<WorkloadWays.Timing>> ways = new LinkedHashMap<>();
        ways.put(BASELINE, () -> WorkloadWays.container(runtime, work, "runc", BASELINE));
        String runsc = SandboxSpec.DEFAULT_RUNTIME;
        ways.put(GVISOR, () -> WorkloadWays.container(runtime, work, runsc, GVISOR));
        ways.put(DURABLE, () -> WorkloadWays.durable(client, work, DURABLE));
        for (int i = 0; i < runs; i++) {
          for (int k = 0; k < WAYS.size(); k++) {
            String way = WAYS.get((i + k) % WAYS.size()); // each way takes each place in turn
            WorkloadWays.Timing t = ways.get(way).get();
            results.get(way).add(t);
            cli.note(progress(i, runs, way, t));
          }
        }
      } finally {
        removeLeftovers(runtime, workerId);
      }
    } finally {
      HostCommand.deleteTree(tmp);
    }
    return results;
  }

  private static String progress(int run, int runs, String way, WorkloadWays.Timing t) {
    return String.format(
        Locale.ROOT,
        "bench workload: run %d/%d, %s: %.1f s (%d passed, suite %.1f s)",
        run + 1,
        runs,
        way,
        t.millis() / 1000.0,
        t.suite().count("passed"),
        t.suite().seconds());
  }

  /** Removes, by label, whatever sandbox of this run's worker id is still there. */
  private static void removeLeftovers(DockerSandboxRuntime runtime, String workerId) {
    try {
      for (SandboxInfo s : runtime.list()) {
        if (s.worker().filter(workerId::equals).isPresent()) {
          runtime.destroy(runtime.find(s.id()));
        }
      }
    } catch (RuntimeException e) {
      // Each sandbox expires with its lifetime, and any worker's reaper removes it then.
    }
  }
}
