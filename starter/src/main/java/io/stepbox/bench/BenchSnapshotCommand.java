package io.stepbox.bench;

import io.stepbox.cli.Cli;
import io.stepbox.workflows.Units;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepbox bench snapshot [--json]}: full snapshot, incremental snapshot after a 4 KiB change
 * and restore of a generated 300 MiB / 20,000-file tree through the local store, each against GNU
 * tar and zstd doing the same work on the same tree in the same run.
 */
@Command(name = "snapshot", description = "snapshot and restore of a 300 MiB tree vs tar and zstd")
final class BenchSnapshotCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the results as JSON")
  boolean json;

  private final Cli cli;

  BenchSnapshotCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Map<String, Object> results;
    try (SnapshotBench bench = new SnapshotBench(cli.runtime(), this::progress)) {
      results = bench.run();
    }
    print(json, results);
    return 0;
  }

  private void print(boolean json, Map<String, Object> r) {
    if (json) {
      cli.printJson(r);
      return;
    }
    printComparisons(r);
    printDetails(r);
    if (r.containsKey("full_cpu_ms")) {
      cli.out().printf(
          Locale.ROOT,
          "machine CPU       full snapshot %d ms, baseline %d ms (steal %d / %d ms): on %d cores"
              + " the full snapshot cannot go under ratio %.2f%n",
          r.get("full_cpu_ms"),
          r.get("baseline_full_cpu_ms"),
          r.get("full_steal_ms"),
          r.get("baseline_full_steal_ms"),
          r.get("cpus"),
          r.get("full_cpu_floor_ratio"));
    }
  }

  /** The tree, then each side's best time of each phase. */
  private void printComparisons(Map<String, Object> r) {
    cli.out().printf(
        Locale.ROOT,
        "tree: %d files, %s%n"
            + "full snapshot     %6d ms   baseline tar|zstd -1 %6d ms   ratio %.2f   uploaded %s%n"
            + "incremental       %6d ms   uploaded %s after changing one 4 KiB file%n"
            + "restore           %6d ms   baseline zstd -d|tar -x %6d ms   ratio %.2f%n",
        r.get("tree_files"),
        Units.formatBytes((Long) r.get("tree_bytes")),
        r.get("full_ms"),
        r.get("baseline_full_ms"),
        r.get("full_ratio"),
        Units.formatBytes((Long) r.get("full_uploaded_bytes")),
        r.get("incremental_ms"),
        Units.formatBytes((Long) r.get("incremental_uploaded_bytes")),
        r.get("restore_ms"),
        r.get("baseline_restore_ms"),
        r.get("restore_ratio"));
  }

  /** The heap, every round's times and the warm-up: what to check before trusting a ratio. */
  private void printDetails(Map<String, Object> r) {
    cli.out().printf(
        Locale.ROOT,
        "peak heap         %6d MiB live after collections (%d MiB with garbage not yet"
            + " collected)%n"
            + "each round (ms)   full snapshot %s, baseline %s; restore %s, baseline %s (ABBA,"
            + " best kept)%n"
            + "warm-up           %d captures; JIT compiling during each timed full snapshot %s ms%n",
        r.get("peak_heap_mb"),
        r.get("peak_heap_allocated_mb"),
        r.get("full_runs_ms"),
        r.get("baseline_full_runs_ms"),
        r.get("restore_runs_ms"),
        r.get("baseline_restore_runs_ms"),
        r.get("warm_up_captures"),
        r.get("full_runs_jit_ms"));
  }

  private void progress(String what) {
    if (!json) {
      cli.err().println("... " + what);
    }
  }
}
