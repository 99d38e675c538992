package io.stepbox.cli.schedule;

import io.stepbox.cli.UsageException;
import io.stepbox.workflows.Units;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code stepbox schedule create} asks for, parsed and checked: the schedule's name, when it
 * runs ({@code --cron} or {@code --every}), what to do with a run due while the last one still runs
 * ({@code --overlap}, default skip) and whether it starts paused.
 *
 * @param name the schedule id; scheduled runs get workflow ids {@code schedule-NAME-<time>}
 * @param cron a cron expression, or null
 * @param every the interval, or null
 * @param overlap the overlap policy
 * @param paused whether the schedule starts paused
 */
record ScheduleRequest(
    String name, String cron, Duration every, ScheduleOverlapPolicy overlap, boolean paused) {

  /** Names of the overlap policies, as {@code --overlap} takes them. */
  static final Map<String, ScheduleOverlapPolicy> OVERLAP = overlapNames();

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,89}");

  /** Checks a schedule's name, when and overlap; usage errors name what is wrong. */
  static ScheduleRequest of(
      String name, String cron, Duration every, String overlapName, boolean paused) {
    checkName(name);
    if ((cron == null) == (every == null)) {
      throw new UsageException("say when the task runs: either --cron EXPR or --every DURATION");
    }
    if (cron != null && cron.isBlank()) {
      throw new UsageException("--cron: must not be empty; for example --cron '0 3 * * *'");
    }
    if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UsageException("--every: must be at least 1s");
    }
    ScheduleOverlapPolicy overlap = OVERLAP.get(overlapName.toLowerCase(Locale.ROOT));
    if (overlap == null) {
      throw new UsageException(
          "--overlap: '"
              + overlapName
              + "' is not a policy; use one of "
              + String.join(", ", OVERLAP.keySet()));
    }
    return new ScheduleRequest(name, cron, every, overlap, paused);
  }

  /** {@code name} if it is a valid schedule name, else a usage error. */
  static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new UsageException(
          "schedule name '"
              + name
              + "' is not valid; use letters, digits, '.', '_' and '-' (at most 90, so that a run's id, schedule-NAME-<time>, fits a sandbox's 128), starting"
              + " with a letter or digit");
    }
    return name;
  }

  /** The workflow id Temporal prefixes to each run's time ({@code schedule-NAME-<time>}). */
  String workflowIdPrefix() {
    return "schedule-" + name;
  }

  /** When it runs, as people write it: {@code cron 0 3 * * *} or {@code every 1h}. */
  String when() {
    return cron != null ? "cron " + cron : "every " + Units.formatDuration(every);
  }

  /** The overlap policy's {@code --overlap} name. */
  String overlapName() {
    return OVERLAP.entrySet().stream()
        .filter(e -> e.getValue() == overlap)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  ScheduleSpec spec() {
    ScheduleSpec.Builder b = ScheduleSpec.newBuilder();
    return cron != null
        ? b.setCronExpressions(List.of(cron)).build()
        : b.setIntervals(List.of(new ScheduleIntervalSpec(every))).build();
  }

  private static Map<String, ScheduleOverlapPolicy> overlapNames() {
    Map<String, ScheduleOverlapPolicy> m = new LinkedHashMap<>();
    m.put("skip", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    m.put("buffer-one", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    m.put("buffer-all", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL);
    m.put("cancel-other", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER);
    m.put("terminate-other", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER);
    m.put("allow-all", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    return java.util.Collections.unmodifiableMap(m);
  }
}
