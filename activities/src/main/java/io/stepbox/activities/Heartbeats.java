package io.stepbox.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats an activity every couple of seconds from a side thread while it works, with the phase
 * it is in as details, so that a dead worker is noticed within the heartbeat timeout. Remembers if
 * Temporal answered that the activity was cancelled or timed out.
 */
final class Heartbeats implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "stepbox-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicReference<RuntimeException> stopped = new AtomicReference<>();
  private final java.util.concurrent.ScheduledFuture<?> beat;

  Heartbeats(ActivityExecutionContext context) {
    beat =
        context == null
            ? null
            : TIMER.scheduleAtFixedRate(
                () -> {
                  try {
                    context.heartbeat(phase.get());
                  } catch (ActivityCompletionException e) {
                    stopped.compareAndSet(null, e);
                  } catch (RuntimeException e) {
                    // A missed beat is retried on the next tick.
                  }
                },
                0,
                2,
                TimeUnit.SECONDS);
  }

  void phase(String name) {
    phase.set(name);
    RuntimeException e = stopped.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void close() {
    if (beat != null) {
      beat.cancel(false);
    }
  }
}
