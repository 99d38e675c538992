package io.stepbox.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.cli.CommandException;
import io.stepbox.workflows.step.StepPhases;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadReportTest {
  private static WorkloadWays.Timing timing(long ms, int passed, double suiteSeconds) {
    return new WorkloadWays.Timing(
        ms,
        new PytestSummary(Map.of("passed", passed), suiteSeconds),
        Map.of("tests/t.py::T::test_threads", ms / 2),
        List.of());
  }

  /** A durable run whose steps took 10 s of exec each, plus the overheads given. */
  private static WorkloadWays.Timing durable(long ms, long clone, long install, long test) {
    List<WorkloadWays.StepTime> steps =
        List.of(step("clone", clone), step("install", install), step("test", test));
    return new WorkloadWays.Timing(
        ms, new PytestSummary(Map.of("passed", 765), 20.0), Map.of(), steps);
  }

  /** Of the overhead, a fifth is the sandbox, a fifth the snapshot, a fifth Temporal. */
  private static WorkloadWays.StepTime step(String id, long overhead) {
    long fifth = overhead / 5;
    long exec = 10_000;
    long total = exec + overhead - fifth;
    return new WorkloadWays.StepTime(
        id, exec + overhead, new StepPhases(fifth, 0, exec, fifth, total));
  }

  private static Map<String, List<WorkloadWays.Timing>> results(
      List<WorkloadWays.Timing> gvisor) {
    Map<String, List<WorkloadWays.Timing>> r = new LinkedHashMap<>();
    r.put("baseline", List.of(timing(1000, 765, 10), timing(3000, 765, 12), timing(2000, 765, 11)));
    r.put("gvisor", gvisor);
    r.put(
        "durable",
        List.of(
            durable(4000, 500, 300, 200), durable(5000, 100, 400, 600), durable(4500, 0, 0, 0)));
    return r;
  }

  @Test
  void ratiosArePercentileOverTheBaselinesP50() {
    var report =
        new WorkloadReport(
            WorkloadPackage.MORE_ITERTOOLS,
            results(List.of(timing(2600, 765, 13), timing(2400, 765, 13), timing(9000, 765, 30))));

    Map<String, Object> m = report.asMap();

    assertThat(m).containsEntry("tests", 765).containsEntry("runs", 3);
    assertThat(m).containsEntry("baseline_p50_ms", 2000L).containsEntry("baseline_p95_ms", 3000L);
    assertThat(m).containsEntry("gvisor_p50_ms", 2600L).containsEntry("gvisor_ratio", 1.3);
    assertThat(m).containsEntry("durable_p50_ms", 4500L).containsEntry("durable_ratio", 2.25);
    assertThat(m).containsEntry("gvisor_suite_ratio", 1.18);
    assertThat(m).containsEntry("step_overhead_p50_ms", 200L);
    assertThat(m.get("step_overhead_by_step_p50_ms"))
        .isEqualTo(Map.of("clone", 100L, "install", 300L, "test", 200L));
    assertThat(m.get("step_overhead_parts_p50_ms"))
        .isEqualTo(Map.of("sandbox", 40L, "snapshot", 40L, "worker_other", 80L, "temporal", 40L));
    assertThat(m.get("slowest_tests_p50_ms"))
        .isEqualTo(
            Map.of(
                "baseline", Map.of("tests/t.py::T::test_threads", 1000L),
                "gvisor", Map.of("tests/t.py::T::test_threads", 1300L),
                "durable", Map.of()));
    assertThat(report.targetsMet())
        .containsEntry("gvisor_ratio", true)
        .containsEntry("durable_ratio", false)
        .containsEntry("step_overhead_p50_ms", true);
  }

  @Test
  void waysThatRanDifferentNumbersOfTestsAreRefused() {
    var results =
        results(List.of(timing(2600, 765, 13), timing(2400, 764, 13), timing(9000, 765, 30)));

    assertThatThrownBy(() -> new WorkloadReport(WorkloadPackage.MORE_ITERTOOLS, results))
        .isInstanceOf(CommandException.class)
        .hasMessageContaining("different numbers of tests")
        .hasMessageContaining("gvisor=[765, 764, 765]");
  }

  @Test
  void aSuiteWithAFailureIsRefused() {
    var failing =
        new WorkloadWays.Timing(
            2500, new PytestSummary(Map.of("passed", 764, "failed", 1), 13), Map.of(), List.of());
    var results = results(List.of(timing(2600, 765, 13), failing, timing(9000, 765, 30)));

    assertThatThrownBy(() -> new WorkloadReport(WorkloadPackage.MORE_ITERTOOLS, results))
        .isInstanceOf(CommandException.class)
        .hasMessageContaining("gvisor: not every test passed");
  }
}
