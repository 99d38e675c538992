package io.stepbox.workflows.internal;

import io.stepbox.workflows.step.StepActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity stubs with stepbox's timeouts: start-to-close of the step timeout plus a margin for
 * restore and snapshot, a 10 s heartbeat timeout, retries with backoff that never retry an invalid
 * request, and a short schedule-to-start on worker-specific queues. Steps and exports run on the
 * workflow's own task queue, the shared one. For workflow code.
 */
final class StepActivityStubs {
  /** Time a step may take beyond its command's timeout: sandbox, restore, snapshot. */
  static final Duration MARGIN = Duration.ofMinutes(5);

  /** A worker that does not heartbeat for this long is considered dead. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /** How long a step waits for the worker holding its warm sandbox. */
  static final Duration WARM_START = Duration.ofSeconds(5);

  static final Duration EXPORT_TIMEOUT = Duration.ofMinutes(30);

  private static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(5)
          .setDoNotRetry(StepActivities.INVALID_STEP)
          .build();

  private StepActivityStubs() {}

  /** A stub for a step of {@code timeoutMillis} on the shared queue. */
  static StepActivities shared(long timeoutMillis) {
    return Workflow.newActivityStub(StepActivities.class, step(timeoutMillis).build());
  }

  /** A stub for a step of {@code timeoutMillis} on the worker-specific {@code queue}. */
  static StepActivities warm(String queue, long timeoutMillis) {
    ActivityOptions options =
        step(timeoutMillis).setTaskQueue(queue).setScheduleToStartTimeout(WARM_START).build();
    return Workflow.newActivityStub(StepActivities.class, options);
  }

  static StepActivities export() {
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(EXPORT_TIMEOUT)
            .setHeartbeatTimeout(HEARTBEAT)
            .setRetryOptions(RETRY)
            .build();
    return Workflow.newActivityStub(StepActivities.class, options);
  }

  static StepActivities release(String queue) {
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setTaskQueue(queue)
            .setScheduleToStartTimeout(WARM_START)
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
            .build();
    return Workflow.newActivityStub(StepActivities.class, options);
  }

  private static ActivityOptions.Builder step(long timeoutMillis) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMillis(timeoutMillis).plus(MARGIN))
        .setHeartbeatTimeout(HEARTBEAT)
        .setRetryOptions(RETRY);
  }
}
