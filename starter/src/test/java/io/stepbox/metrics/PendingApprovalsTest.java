package io.stepbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pending-approvals gauge with a fake count, a fake clock and the count run in place. */
class PendingApprovalsTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final AtomicLong pending = new AtomicLong(3);
  private final AtomicInteger asked = new AtomicInteger();
  private boolean broken;

  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  private Gauge gauge() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PendingApprovals(this::count, clock, Runnable::run, null).register(registry);
    return registry.get("stepbox.approvals.pending").gauge();
  }

  private long count() {
    asked.incrementAndGet();
    if (broken) {
      throw new IllegalStateException("visibility store unavailable");
    }
    return pending.get();
  }

  @Test
  void countsAtMostOncePerRefreshInterval() {
    Gauge gauge = gauge();
    assertThat(gauge.value()).isEqualTo(3);
    pending.set(5);
    now = now.plus(PendingApprovals.REFRESH.minusSeconds(1));
    assertThat(gauge.value()).as("cached within the interval").isEqualTo(3);
    assertThat(asked).hasValue(1);
    now = now.plusSeconds(1);
    assertThat(gauge.value()).isEqualTo(5);
    assertThat(asked).hasValue(2);
  }

  @Test
  void aFailedCountKeepsTheLastValueAndIsRetriedAfterTheInterval() {
    Gauge gauge = gauge();
    broken = true;
    now = now.plus(PendingApprovals.REFRESH);
    assertThat(gauge.value()).isEqualTo(3);
    assertThat(gauge.value()).isEqualTo(3);
    assertThat(asked).as("a failure waits for the interval too").hasValue(2);
    broken = false;
    pending.set(0);
    now = now.plus(PendingApprovals.REFRESH);
    assertThat(gauge.value()).isZero();
  }

  @Test
  void unknownBeforeTheFirstCountSucceeds() {
    broken = true;
    assertThat(gauge().value()).isNaN();
  }

  @Test
  void theQueryNamesTheAgreedSearchAttributes() {
    assertThat(PendingApprovals.QUERY)
        .isEqualTo(
            "WorkflowType = 'AgentTaskWorkflow' AND StepboxWaitingApproval = true"
                + " AND ExecutionStatus = 'Running'");
    assertThat(PendingApprovals.REFRESH).isEqualTo(Duration.ofSeconds(15));
  }
}
