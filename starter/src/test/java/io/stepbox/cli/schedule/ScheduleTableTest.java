package io.stepbox.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTableTest {

  @Test
  void schedulesShowWhenStateAndRuns() {
    List<String> lines =
        ScheduleCommand.table(
            List.of(
                new ScheduleRow(
                    "nightly",
                    "fix-calc",
                    "every 1d",
                    "skip",
                    true,
                    "maintenance",
                    null,
                    List.of("schedule-nightly-a", "schedule-nightly-b"))));
    assertThat(lines.get(1))
        .isEqualTo(
            "nightly  fix-calc  every 1d  skip     paused: maintenance  -         schedule-nightly-b");
  }
}
