package io.stepbox.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.cli.UsageErrors;
import io.stepbox.cli.UsageException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScheduleRequestTest {
  /** The request of {@code schedule create ARGV}, read by picocli as the command line is. */
  private static ScheduleRequest parse(String... argv) {
    ScheduleCommand.Create create = new ScheduleCommand.Create(null);
    CommandLine line = new CommandLine(create).setOverwrittenOptionsAllowed(true);
    try {
      line.parseArgs(argv);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(UsageErrors.message(e));
    }
    return create.request();
  }

  @Test
  void everyTakesDurationsAndSkipsOverlapsByDefault() {
    ScheduleRequest r = parse("nightly", "--every", "1d", "task.yaml");
    assertThat(r.name()).isEqualTo("nightly");
    assertThat(r.every()).isEqualTo(Duration.ofDays(1));
    assertThat(r.overlap()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(r.paused()).isFalse();
    assertThat(r.when()).isEqualTo("every 1d");
    assertThat(r.workflowIdPrefix()).isEqualTo("schedule-nightly");
    assertThat(r.spec().getIntervals())
        .containsExactly(new ScheduleIntervalSpec(Duration.ofDays(1)));
    assertThat(parse("q", "--every", "15m", "t").every()).isEqualTo(Duration.ofMinutes(15));
    assertThat(parse("q", "--every", "30s", "t").every()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void cronOverlapAndPaused() {
    ScheduleRequest r =
        parse("hourly", "--cron", "0 * * * *", "--overlap", "buffer-one", "--paused", "t.yaml");
    assertThat(r.spec().getCronExpressions()).containsExactly("0 * * * *");
    assertThat(r.when()).isEqualTo("cron 0 * * * *");
    assertThat(r.overlap()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(r.overlapName()).isEqualTo("buffer-one");
    assertThat(r.paused()).isTrue();
    assertThat(ScheduleRequest.OVERLAP)
        .containsOnlyKeys(
            "skip", "buffer-one", "buffer-all", "cancel-other", "terminate-other", "allow-all");
  }

  @Test
  void badInputIsAUsageErrorThatSaysWhatToDo() {
    assertThatThrownBy(() -> parse("n", "t.yaml"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("either --cron EXPR or --every DURATION");
    assertThatThrownBy(() -> parse("n", "--cron", "* * * * *", "--every", "1h", "t"))
        .hasMessageContaining("either --cron EXPR or --every DURATION");
    assertThatThrownBy(() -> parse("n", "--every", "soon", "t"))
        .hasMessageContaining("--every: 'soon' is not a duration");
    assertThatThrownBy(() -> parse("n", "--every", "1h", "--overlap", "queue", "t"))
        .hasMessageContaining("'queue' is not a policy; use one of skip, buffer-one");
    assertThatThrownBy(() -> parse("bad name", "--every", "1h", "t"))
        .hasMessageContaining("schedule name 'bad name' is not valid");
    assertThatThrownBy(() -> parse()).hasMessageContaining("missing the schedule's NAME");
  }
}
