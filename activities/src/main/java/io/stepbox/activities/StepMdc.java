package io.stepbox.activities;

import io.temporal.activity.ActivityExecutionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The task and step a worker thread is working on, in the logging MDC for as long as it is open:
 * {@code taskId}, {@code step}, {@code approach}, {@code attempt} (the activity's attempt) and
 * {@code workflowRunId}. Only ids: never env, commands or secrets.
 */
final class StepMdc implements AutoCloseable {
  private final Map<String, String> previous = new LinkedHashMap<>();

  private StepMdc(Map<String, String> values) {
    values.forEach(
        (k, v) -> {
          previous.put(k, MDC.get(k));
          set(k, v);
        });
  }

  private static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Puts the ids of a step (or export, with {@code step} null) of task {@code taskId}. */
  static StepMdc open(
      String taskId, String step, String approach, ActivityExecutionContext context) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("taskId", taskId);
    values.put("step", step);
    values.put("approach", approach);
    values.put(
        "attempt", context == null ? null : Integer.toString(context.getInfo().getAttempt()));
    values.put("workflowRunId", context == null ? null : context.getInfo().getRunId());
    return new StepMdc(values);
  }

  /** Puts back what the keys held before (activity threads are pooled). */
  @Override
  public void close() {
    previous.forEach(StepMdc::set);
  }
}
