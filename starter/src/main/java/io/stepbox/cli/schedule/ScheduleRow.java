package io.stepbox.cli.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleListDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A schedule as {@code stepbox schedule list} prints it.
 *
 * @param name the schedule's name (its id)
 * @param task the name of the spec it runs
 * @param when {@code cron EXPR} or {@code every DURATION}
 * @param overlap the {@code --overlap} policy
 * @param paused whether it is paused
 * @param note the note of the last pause or unpause; null when none
 * @param nextRunTime when it runs next (ISO-8601); null when paused or never again
 * @param recentRuns workflow ids of its latest runs, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScheduleRow(
    String name,
    String task,
    String when,
    String overlap,
    boolean paused,
    String note,
    String nextRunTime,
    List<String> recentRuns) {

  /** Schedule memo keys, written at create. */
  static final String MEMO_TASK = "task";

  static final String MEMO_WHEN = "when";
  static final String MEMO_OVERLAP = "overlap";

  /** The memo of a schedule created from {@code r} for the spec named {@code task}. */
  static Map<String, Object> memo(ScheduleRequest r, String task) {
    return Map.of(
        MEMO_TASK, task == null ? "" : task, MEMO_WHEN, r.when(), MEMO_OVERLAP, r.overlapName());
  }

  static ScheduleRow of(ScheduleListDescription d) {
    boolean paused = d.getSchedule() != null && d.getSchedule().getState().isPaused();
    String note = d.getSchedule() == null ? null : d.getSchedule().getState().getNote();
    List<Instant> next = d.getInfo() == null ? List.of() : d.getInfo().getNextActionTimes();
    List<ScheduleActionResult> recent =
        d.getInfo() == null ? List.of() : d.getInfo().getRecentActions();
    return new ScheduleRow(
        d.getScheduleId(),
        memo(d, MEMO_TASK),
        memo(d, MEMO_WHEN),
        memo(d, MEMO_OVERLAP),
        paused,
        note == null || note.isEmpty() ? null : note,
        paused || next.isEmpty() ? null : next.get(0).toString(),
        recent.stream()
            .map(ScheduleActionResult::getAction)
            .filter(ScheduleActionExecutionStartWorkflow.class::isInstance)
            .map(a -> ((ScheduleActionExecutionStartWorkflow) a).getWorkflowId())
            .toList());
  }

  private static String memo(ScheduleListDescription d, String key) {
    String value = d.getMemo(key, String.class, String.class);
    return value == null || value.isEmpty() ? null : value;
  }
}
