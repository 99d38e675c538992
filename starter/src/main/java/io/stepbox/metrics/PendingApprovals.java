package io.stepbox.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code stepbox.approvals.pending} (Prometheus: {@code stepbox_approvals_pending}):
 * tasks of the whole namespace waiting for a decision, from a visibility count. A scrape never
 * waits for the count: it reads the last value and, when that is older than {@link #REFRESH}, asks
 * for a new one on another thread. A failed count keeps the last value (NaN before the first).
 */
public final class PendingApprovals implements AutoCloseable {
  /**
   * The visibility query of tasks waiting for approval (search attributes of the task workflow).
   */
  public static final String QUERY =
      "WorkflowType = 'AgentTaskWorkflow' AND StepboxWaitingApproval = true"
          + " AND ExecutionStatus = 'Running'";

  /** The count is asked at most this often. */
  public static final Duration REFRESH = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(PendingApprovals.class);

  private final LongSupplier count;
  private final Clock clock;
  private final Executor executor;
  private final ExecutorService owned;
  private final AtomicBoolean counting = new AtomicBoolean();
  private volatile double value = Double.NaN;
  private volatile Instant countedAt;
  private volatile boolean failing;

  PendingApprovals(LongSupplier count, Clock clock, Executor executor, ExecutorService owned) {
    this.count = count;
    this.clock = clock;
    this.executor = executor;
    this.owned = owned;
  }

  /**
   * Registers the gauge in {@code registry}, counting with {@code count} (such as {@code () ->
   * client.countWorkflows(QUERY).getCount()}) on a daemon thread of its own, and asks once now.
   */
  public static PendingApprovals register(MeterRegistry registry, LongSupplier count) {
    ExecutorService thread = DaemonThreads.single("stepbox-approvals-count");
    return new PendingApprovals(count, Clock.systemUTC(), thread, thread).register(registry);
  }

  PendingApprovals register(MeterRegistry registry) {
    Gauge.builder("stepbox.approvals.pending", this, PendingApprovals::value)
        .description("Tasks waiting for an approval decision, in the whole namespace")
        .strongReference(true)
        .register(registry);
    value();
    return this;
  }

  /** The last count; starts a new one when it is older than {@link #REFRESH}. */
  double value() {
    Instant at = countedAt;
    if ((at == null || !clock.instant().isBefore(at.plus(REFRESH)))
        && counting.compareAndSet(false, true)) {
      try {
        executor.execute(this::refresh);
      } catch (RejectedExecutionException e) {
        counting.set(false); // closing
      }
    }
    return value;
  }

  private void refresh() {
    try {
      value = count.getAsLong();
      failing = false;
    } catch (RuntimeException e) {
      // A server without count queries (the in-memory test server) is no news worth a warning.
      boolean unsupported =
          io.grpc.Status.fromThrowable(e).getCode() == io.grpc.Status.Code.UNIMPLEMENTED;
      if (!failing && !unsupported) {
        LOG.warn(
            "counting tasks waiting for approval failed, keeping the last value: {} (query: {})",
            e.getMessage(),
            QUERY);
      }
      failing = true;
    } finally {
      countedAt = clock.instant();
      counting.set(false);
    }
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
    }
  }
}
