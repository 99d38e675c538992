package io.stepbox.bench;

import static io.stepbox.bench.BenchWorkloadCommand.BASELINE;
import static io.stepbox.bench.BenchWorkloadCommand.DURABLE;
import static io.stepbox.bench.BenchWorkloadCommand.GVISOR;

import io.stepbox.cli.CommandException;
import io.stepbox.workflows.step.StepLimits;
import io.stepbox.workflows.step.StepPhases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The figures of {@code bench workload}: p50 and p95 (nearest rank) of each way, the ratios of the
 * p50s against the baseline's, the suite's own pytest time, and the durable steps' overhead. Made
 * only when every way of every run ran the same number of tests and all passed.
 */
final class WorkloadReport {
  static final double GVISOR_TARGET = 1.35;
  static final double DURABLE_TARGET = 1.6;
  static final long STEP_OVERHEAD_TARGET_MS = 400;

  /** What a step's overhead is computed from, as the output says. */
  static final String STEP_OVERHEAD_IS =
      "TaskStatus.steps[].durationMillis (the workflow's time for the step) minus"
          + " finalAttempt().phases().execMillis() (the worker's time in the command)";

  private final WorkloadPackage pkg;
  private final Map<String, List<WorkloadWays.Timing>> results;
  private final int tests;

  /**
   * @throws CommandException when a way's tests did not all pass, or the ways ran different numbers
   */
  WorkloadReport(WorkloadPackage pkg, Map<String, List<WorkloadWays.Timing>> results) {
    this.pkg = pkg;
    this.results = results;
    this.tests = checkSuites(results);
  }

  private static int checkSuites(Map<String, List<WorkloadWays.Timing>> results) {
    TreeSet<Integer> counts = new TreeSet<>();
    Map<String, List<Integer>> seen = new LinkedHashMap<>();
    results.forEach(
        (way, timings) -> {
          for (WorkloadWays.Timing t : timings) {
            if (!t.suite().allPassed()) {
              throw new CommandException(
                  1, "bench workload: " + way + ": not every test passed: " + t.suite(), null);
            }
            counts.add(t.suite().tests());
            seen.computeIfAbsent(way, w -> new ArrayList<>()).add(t.suite().tests());
          }
        });
    if (counts.size() != 1) {
      throw new CommandException(
          1, "bench workload: the ways ran different numbers of tests: " + seen, null);
    }
    return counts.first();
  }

  int tests() {
    return tests;
  }

  long p(String way, int percentile) {
    return Percentiles.of(series(way, WorkloadWays.Timing::millis), percentile);
  }

  long suiteP50(String way) {
    return Percentiles.of(series(way, t -> t.suite().millis()), 50);
  }

  /** The p50 of {@code way} over the baseline's p50. */
  double ratio(String way) {
    return Percentiles.ratio(p(way, 50), p(BASELINE, 50));
  }

  double suiteRatio(String way) {
    return Percentiles.ratio(suiteP50(way), suiteP50(BASELINE));
  }

  /** Every durable step of every run. */
  private List<WorkloadWays.StepTime> steps() {
    return results.get(DURABLE).stream().flatMap(t -> t.steps().stream()).toList();
  }

  /** Every durable step's overhead, over all runs. */
  List<Long> overheads() {
    return steps().stream().map(WorkloadWays.StepTime::overheadMillis).toList();
  }

  private Map<String, Long> overheadByStep() {
    Map<String, List<Long>> byStep = new LinkedHashMap<>();
    for (WorkloadWays.StepTime s : steps()) {
      byStep.computeIfAbsent(s.step(), k -> new ArrayList<>()).add(s.overheadMillis());
    }
    Map<String, Long> p50 = new LinkedHashMap<>();
    byStep.forEach((step, ms) -> p50.put(step, Percentiles.of(ms, 50)));
    return p50;
  }

  /**
   * Where the overhead goes, p50 of each part over all steps: getting the sandbox (created, or
   * kept warm from the step before), the snapshot, the rest of the worker's activity (storing the
   * output, stopping leftovers), and Temporal (the step's duration beyond the activity's).
   */
  private Map<String, Long> overheadParts() {
    Map<String, Function<WorkloadWays.StepTime, Long>> parts = new LinkedHashMap<>();
    parts.put("sandbox", s -> s.phases().sandboxMillis());
    parts.put("snapshot", s -> s.phases().snapshotMillis());
    parts.put("worker_other", WorkloadReport::workerOther);
    parts.put("temporal", s -> s.durationMillis() - s.phases().totalMillis());
    Map<String, Long> p50 = new LinkedHashMap<>();
    parts.forEach((part, f) -> p50.put(part, Percentiles.of(steps().stream().map(f).toList(), 50)));
    return p50;
  }

  private static long workerOther(WorkloadWays.StepTime s) {
    StepPhases p = s.phases();
    return p.totalMillis() - p.sandboxMillis() - p.execMillis() - p.snapshotMillis();
  }

  /**
   * For each way, the tests pytest listed among its slowest in any run, with the p50 of their
   * times over the runs that listed them, slowest first.
   */
  private Map<String, Map<String, Long>> slowest() {
    Map<String, Map<String, Long>> byWay = new LinkedHashMap<>();
    for (String way : BenchWorkloadCommand.WAYS) {
      Map<String, List<Long>> times = new LinkedHashMap<>();
      for (WorkloadWays.Timing t : results.get(way)) {
        t.slowest()
            .forEach((test, ms) -> times.computeIfAbsent(test, k -> new ArrayList<>()).add(ms));
      }
      Map<String, Long> p50 = new LinkedHashMap<>();
      times.entrySet().stream()
          .map(e -> Map.entry(e.getKey(), Percentiles.of(e.getValue(), 50)))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> p50.put(e.getKey(), e.getValue()));
      byWay.put(way, p50);
    }
    return byWay;
  }

  private List<Long> series(String way, Function<WorkloadWays.Timing, Long> value) {
    return results.get(way).stream().map(value).toList();
  }

  Map<String, Object> asMap() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runs", results.get(BASELINE).size());
    r.put("package", pkg.name() + " " + pkg.version());
    r.put("package_sha256", pkg.sdist().sha256());
    r.put("image", Workload.IMAGE);
    r.put("limits", limits());
    r.put("tests", tests);
    for (String way : BenchWorkloadCommand.WAYS) {
      r.put(way + "_p50_ms", p(way, 50));
      r.put(way + "_p95_ms", p(way, 95));
    }
    r.put("gvisor_ratio", ratio(GVISOR));
    r.put("durable_ratio", ratio(DURABLE));
    r.put("durable_vs_gvisor_ratio", Percentiles.ratio(p(DURABLE, 50), p(GVISOR, 50)));
    for (String way : BenchWorkloadCommand.WAYS) {
      r.put(way + "_suite_p50_ms", suiteP50(way));
    }
    r.put("gvisor_suite_ratio", suiteRatio(GVISOR));
    r.put("durable_suite_ratio", suiteRatio(DURABLE));
    r.put("step_overhead_p50_ms", Percentiles.of(overheads(), 50));
    r.put("step_overhead_p95_ms", Percentiles.of(overheads(), 95));
    r.put("step_overhead_by_step_p50_ms", overheadByStep());
    r.put("step_overhead_parts_p50_ms", overheadParts());
    r.put("step_overhead_is", STEP_OVERHEAD_IS);
    r.put("slowest_tests_p50_ms", slowest());
    r.put("targets", targets());
    r.put("targets_met", targetsMet());
    r.put("runs_ms", everyWay(way -> series(way, WorkloadWays.Timing::millis)));
    r.put("suite_runs_ms", everyWay(way -> series(way, t -> t.suite().millis())));
    return r;
  }

  /** A step's default limits, the ones every way runs under. */
  private static Map<String, Object> limits() {
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("cpus", StepLimits.DEFAULTS.cpus());
    limits.put("memory_mb", StepLimits.DEFAULTS.memoryBytes() >> 20);
    return limits;
  }

  private static Map<String, Object> everyWay(Function<String, Object> value) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String way : BenchWorkloadCommand.WAYS) {
      m.put(way, value.apply(way));
    }
    return m;
  }

  private static Map<String, Object> targets() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("gvisor_ratio", GVISOR_TARGET);
    t.put("durable_ratio", DURABLE_TARGET);
    t.put("step_overhead_p50_ms", STEP_OVERHEAD_TARGET_MS);
    return t;
  }

  Map<String, Boolean> targetsMet() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("gvisor_ratio", ratio(GVISOR) <= GVISOR_TARGET);
    m.put("durable_ratio", ratio(DURABLE) <= DURABLE_TARGET);
    m.put("step_overhead_p50_ms", Percentiles.of(overheads(), 50) <= STEP_OVERHEAD_TARGET_MS);
    return m;
  }

  /** The human table. */
  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%s %s: %d tests, %d runs, %s, %.1f CPU, %d MiB (a step's default limits)",
            pkg.name(),
            pkg.version(),
            tests,
            results.get(BASELINE).size(),
            Workload.IMAGE,
            StepLimits.DEFAULTS.cpus(),
            StepLimits.DEFAULTS.memoryBytes() >> 20));
    lines.add(
        String.format(
            Locale.ROOT,
            "%-10s %10s %10s %7s %14s %12s",
            "way",
            "p50 ms",
            "p95 ms",
            "ratio",
            "suite p50 ms",
            "suite ratio"));
    BenchWorkloadCommand.WAYS.forEach(way -> lines.add(row(way)));
    lines.add(
        String.format(
            Locale.ROOT,
            "step overhead p50 %d ms, p95 %d ms; p50 by step %s; parts (p50) %s",
            Percentiles.of(overheads(), 50),
            Percentiles.of(overheads(), 95),
            overheadByStep(),
            overheadParts()));
    lines.add("  a step's overhead: " + STEP_OVERHEAD_IS);
    slowest().forEach((way, tests) -> lines.add("slowest tests, " + way + " (p50 ms): " + tests));
    lines.add(targetLine());
    return lines;
  }

  private String row(String way) {
    return String.format(
        Locale.ROOT,
        "%-10s %10d %10d %7.2f %14d %12.2f",
        way,
        p(way, 50),
        p(way, 95),
        ratio(way),
        suiteP50(way),
        suiteRatio(way));
  }

  private String targetLine() {
    return String.format(
        Locale.ROOT,
        "targets: gvisor_ratio %.2f <= %.2f %s; durable_ratio %.2f <= %.2f %s;"
            + " step_overhead_p50_ms %d <= %d %s",
        ratio(GVISOR),
        GVISOR_TARGET,
        met(targetsMet().get("gvisor_ratio")),
        ratio(DURABLE),
        DURABLE_TARGET,
        met(targetsMet().get("durable_ratio")),
        Percentiles.of(overheads(), 50),
        STEP_OVERHEAD_TARGET_MS,
        met(targetsMet().get("step_overhead_p50_ms")));
  }

  private static String met(boolean ok) {
    return ok ? "met" : "NOT met";
  }
}
