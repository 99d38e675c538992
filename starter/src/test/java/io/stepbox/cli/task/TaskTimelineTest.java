package io.stepbox.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The step timeline from a sequence of polls: plain lines, and the display redrawn in place. */
class TaskTimelineTest {
  private static final long T0 = 1_000_000;

  private static AttemptStatus exited(String approach, int exit, long ms) {
    return TaskStatusFormatTest.attempt(approach, exit, "snap-" + exit, ms);
  }

  private static StepStatus step(String id, StepState state, String approach, AttemptStatus... a) {
    boolean done = state == StepState.SUCCEEDED || state == StepState.FAILED;
    Integer exit = a.length == 0 ? null : a[a.length - 1].exitCode();
    return new StepStatus(
        id,
        state,
        approach,
        exit,
        List.of(a),
        done && exit == 0 ? "snap-0" : null,
        done ? 1500 : 0,
        null);
  }

  private static TaskStatus task(TaskState state, String current, long end, StepStatus... steps) {
    return new TaskStatus(
        "t-1", "demo", state, current, List.of(steps), null, 0, List.of(), null, T0, end);
  }

  /** clone runs, then succeeds while test runs, then test waits, then the task completes. */
  private static final List<TaskStatus> POLLS =
      List.of(
          task(
              TaskState.RUNNING,
              "clone",
              0,
              step("clone", StepState.RUNNING, "default"),
              step("publish", StepState.PENDING, null)),
          task(
              TaskState.WAITING_APPROVAL,
              "publish",
              0,
              step("clone", StepState.SUCCEEDED, "default", exited("default", 0, 1500)),
              step("publish", StepState.WAITING_APPROVAL, null)),
          task(
              TaskState.COMPLETED,
              null,
              T0 + 65_000,
              step("clone", StepState.SUCCEEDED, "default", exited("default", 0, 1500)),
              step("publish", StepState.SUCCEEDED, "default", exited("default", 0, 1500))));

  private final ByteArrayOutputStream events = new ByteArrayOutputStream();
  private final ByteArrayOutputStream notes = new ByteArrayOutputStream();

  private static PrintStream print(ByteArrayOutputStream to) {
    return new PrintStream(to, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainPrintsALinePerStepEventAndNotesApart() {
    TaskTimeline plain = TaskTimeline.of(false, null, print(events), print(notes));
    plain.update(POLLS.get(0));
    plain.update(POLLS.get(0)); // nothing changed: nothing printed
    plain.update(POLLS.get(1));
    plain.note(TaskStatusFormat.approvalHint(POLLS.get(1)));
    plain.update(POLLS.get(2));
    List<String> lines = text(events).lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).matches("clone +RUNNING +default");
    assertThat(lines.get(1))
        .matches("clone +SUCCEEDED +default +0 +1\\.5s +snap-0 \\(2\\.0 KiB\\)");
    assertThat(lines.get(2)).matches("publish +WAITING_APPROVAL");
    assertThat(lines.get(3)).matches("publish +SUCCEEDED +default +0 +1\\.5s +snap-0 .*");
    assertThat(lines.get(4)).isEqualTo("task t-1 ended: COMPLETED after 1m5s");
    assertThat(text(events)).doesNotContain("\033");
    assertThat(text(notes))
        .isEqualTo(TaskStatusFormat.approvalHint(POLLS.get(1)) + System.lineSeparator());
  }

  @Test
  void plainWithoutEventsPrintsOnlyNotes() {
    TaskTimeline quiet = TaskTimeline.of(false, null, null, print(notes));
    POLLS.forEach(quiet::update);
    quiet.note("hint");
    assertThat(text(notes)).isEqualTo("hint" + System.lineSeparator());
  }

  /** A frame's lines without the line-clearing escapes. */
  private static List<String> frame(String drawn) {
    return drawn
        .replace("\033[?7l", "")
        .replace("\r\033[2K", "")
        .replace("\033[J\033[?7h", "")
        .lines()
        .toList();
  }

  @Test
  void liveRedrawsTheWholeDisplayInPlaceWithElapsedTimes() {
    AtomicLong now = new AtomicLong(T0 + 2_000);
    LiveTimeline live = new LiveTimeline(print(events), now::get);
    live.update(POLLS.get(0));
    String first = text(events);
    assertThat(first).doesNotContain("\033[4A").contains("\r\033[2K");
    List<String> lines = frame(first);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("task t-1 (demo): RUNNING at step clone  2.0s");
    assertThat(lines.get(1)).contains("STEP", "APPROACH", "STATE", "ELAPSED", "EXIT");
    assertThat(lines.get(2)).matches(" +clone +default +RUNNING +0ms");
    assertThat(lines.get(3)).matches(" +publish +PENDING");

    now.addAndGet(3_000);
    events.reset();
    live.update(POLLS.get(0));
    assertThat(text(events)).startsWith("\033[4A").contains("clone", "3.0s");

    live.update(POLLS.get(1));
    live.note("waiting for approval of step publish");
    events.reset();
    live.update(POLLS.get(2));
    String last = text(events);
    assertThat(last).startsWith("\033[5A\033[?7l").endsWith("\033[J\033[?7h");
    List<String> end = frame(last.substring("\033[5A".length()));
    assertThat(end.get(0)).isEqualTo("task t-1 (demo): COMPLETED  1m5s");
    assertThat(end.get(2)).matches(" +clone +default +SUCCEEDED +1\\.5s +0");
    assertThat(end.get(4)).isEqualTo("  waiting for approval of step publish");
  }

  @Test
  void liveRowsSayHowManyApproachesFailedBefore() {
    LiveTimeline live = new LiveTimeline(print(events), () -> T0);
    StepStatus test =
        step("test", StepState.SUCCEEDED, "fix", exited("default", 1, 800), exited("fix", 0, 700));
    List<String> lines = live.render(task(TaskState.RUNNING, "publish", 0, test), T0);
    assertThat(lines.get(2)).matches(" +test +fix +SUCCEEDED +1\\.5s +0  after 1 failed");
  }
}
