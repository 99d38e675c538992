package io.stepbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PytestSummaryTest {
  @Test
  void readsTheQuietSummaryAtTheEndOfTheOutput() {
    String out =
        "........................................................ [ 94%]\n"
            + ".............................................          [100%]\n"
            + "765 passed in 52.50s\n";

    PytestSummary s = PytestSummary.parse(out).orElseThrow();

    assertThat(s.count("passed")).isEqualTo(765);
    assertThat(s.tests()).isEqualTo(765);
    assertThat(s.allPassed()).isTrue();
    assertThat(s.millis()).isEqualTo(52_500);
  }

  @Test
  void readsEveryKindAndTheDecoratedLineWithMinutes() {
    String out =
        "FAILED tests/test_more.py::X::test_y - AssertionError\n"
            + "==== 1 failed, 760 passed, 2 skipped, 1 error, 3 warnings in 83.69s (0:01:23) ====";

    PytestSummary s = PytestSummary.parse(out).orElseThrow();

    assertThat(s.counts())
        .isEqualTo(
            Map.of("failed", 1, "passed", 760, "skipped", 2, "errors", 1, "warnings", 3));
    assertThat(s.tests()).isEqualTo(764);
    assertThat(s.allPassed()).isFalse();
    assertThat(s.seconds()).isEqualTo(83.69);
  }

  @Test
  void theLastSummaryLineWins() {
    String out = "3 passed in 0.10s\nsomething else\n5 passed, 1 xfailed in 0.20s\n";

    PytestSummary s = PytestSummary.parse(out).orElseThrow();

    assertThat(s.tests()).isEqualTo(6);
    assertThat(s.millis()).isEqualTo(200);
  }

  @Test
  void noTestsRanIsASummaryWithNothingPassed() {
    PytestSummary s = PytestSummary.parse("no tests ran in 0.01s").orElseThrow();

    assertThat(s.tests()).isZero();
    assertThat(s.allPassed()).isFalse();
  }

  @Test
  void outputWithoutASummaryLineHasNone() {
    assertThat(PytestSummary.parse("ERROR: file or directory not found: tests\n")).isEmpty();
    assertThat(PytestSummary.parse("it took 3 passes in 2s of thinking")).isEmpty();
    assertThat(PytestSummary.parse("3 passes in 2s")).isEmpty();
    assertThat(PytestSummary.parse("")).isEmpty();
  }

  @Test
  void readsTheCallTimesOfTheSlowestTestsTable() {
    String out =
        "========== slowest 3 durations ==========\n"
            + "15.53s call     tests/test_more.py::TestSerialize::test_concurrent_calls\n"
            + "0.05s teardown tests/test_more.py::TestSerialize::test_concurrent_calls\n"
            + "9.42s call     tests/test_more.py::TestConcurrentTee::test_concurrent_consumers\n"
            + "765 passed in 36.86s\n";

    assertThat(PytestSummary.slowestCalls(out))
        .containsExactly(
            Map.entry("tests/test_more.py::TestSerialize::test_concurrent_calls", 15_530L),
            Map.entry("tests/test_more.py::TestConcurrentTee::test_concurrent_consumers", 9_420L));
    assertThat(PytestSummary.slowestCalls("765 passed in 36.86s")).isEmpty();
  }
}
