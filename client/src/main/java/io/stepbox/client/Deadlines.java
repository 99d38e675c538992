package io.stepbox.client;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a Temporal client call under an overall gRPC deadline, which also bounds the client's own
 * retries (a query with no worker is otherwise retried for about 30 s).
 */
final class Deadlines {
  private Deadlines() {}

  static <T> T within(Duration limit, Supplier<T> call) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stepbox-deadline");
              t.setDaemon(true);
              return t;
            });
    Context.CancellableContext context =
        Context.current().withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS, timer);
    try {
      return context.call(call::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      context.cancel(null);
      timer.shutdownNow();
    }
  }
}
