package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool of started sandboxes against the real dockerd with runsc. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandboxPoolIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private final SandboxFixture fx = new SandboxFixture();
  private final MovableClock clock = new MovableClock();

  @AfterEach
  void cleanUp() {
    fx.close();
  }

  private SandboxPool pool(int perSpec, int max) {
    return new SandboxPool(
        fx.runtime,
        new SandboxPool.Settings(perSpec, max, Long.MAX_VALUE, Duration.ofMinutes(5)),
        fx.registry,
        clock);
  }

  private static SandboxSpec spec(String task, String step) {
    return SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).setTaskId(task).setStepId(step).build();
  }

  private List<String> pooledIds() {
    return fx.mine().stream()
        .filter(s -> "true".equals(s.labels().get(SandboxLabels.POOL)))
        .map(SandboxInfo::id)
        .toList();
  }

  private double takes(String result) {
    return fx.registry.get("stepbox.sandbox.pool.takes").tag("result", result).counter().count();
  }

  @Test
  void theNextSandboxOfASpecIsTheOneStartedAheadAndItTakesOnItsTaskAndStep() throws Exception {
    try (SandboxPool pool = pool(1, 2)) {
      Sandbox first = pool.create(spec("task-a", "clone"));
      assertThat(takes("miss")).isEqualTo(1);
      assertThat(pool.awaitReady(spec("any", "any"), WAIT)).isTrue();
      List<String> waiting = pooledIds();
      assertThat(waiting).hasSize(1).doesNotContain(first.id()); // the first was made on demand

      Sandbox second = pool.create(spec("nightly:2026-12-02", "test_1"));
      assertThat(takes("hit")).isEqualTo(1);
      assertThat(second.id()).isNotEqualTo(first.id()).isIn(waiting);
      assertThat(second.task()).contains("nightly:2026-12-02");
      assertThat(second.step()).contains("test_1");
      assertThat(second.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
      assertThat(fx.sh(second, "echo from-the-pool").stdout()).isEqualTo("from-the-pool\n");
      awaitListed(second.id(), "nightly:2026-12-02", "test_1");

      assertThat(pool.awaitReady(spec("b", "b"), WAIT)).isTrue(); // refilled
      assertThat(pool.ready()).isEqualTo(1);
    }
  }

  /** The name carries task and step a moment after the take: the listing shows them then. */
  private void awaitListed(String id, String task, String step) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var info = fx.runtime.list().stream().filter(s -> s.id().equals(id)).findFirst();
      if (info.isPresent()
          && task.equals(info.get().labels().get(SandboxLabels.TASK))
          && step.equals(info.get().labels().get(SandboxLabels.STEP))) {
        assertThat(fx.runtime.find(id.substring(0, 12)).task()).contains(task);
        return;
      }
      Thread.sleep(50); // polling dockerd's listing: there is nothing to wait on
    }
    throw new AssertionError("sandbox " + id + " was never listed with task " + task);
  }

  @Test
  void aSpecWithDifferentLimitsGetsItsOwnAndTheBoundsHold() throws Exception {
    try (SandboxPool pool = pool(1, 1)) {
      SandboxSpec small = spec("t", "s").toBuilder().setMemoryBytes(64L << 20).build();
      pool.create(spec("t", "s"));
      assertThat(pool.awaitReady(spec("t", "s"), WAIT)).isTrue();
      Sandbox other = pool.create(small);
      assertThat(takes("miss")).isEqualTo(2);
      assertThat(pooledIds()).doesNotContain(other.id());
      assertThat(pool.awaitReady(small, WAIT)).as("the pool is full").isFalse();
      assertThat(pool.ready()).isEqualTo(1);
    }
    try (SandboxPool off = pool(0, 4)) {
      off.create(spec("t", "s"));
      assertThat(off.awaitReady(spec("t", "s"), WAIT)).isFalse();
      assertThat(pooledIds()).isEmpty();
    }
  }

  @Test
  void aPooledSandboxThatDiedIsNotHandedOut() throws Exception {
    try (SandboxPool pool = pool(1, 1)) {
      fx.runtime.destroy(pool.create(spec("t", "one")));
      assertThat(pool.awaitReady(spec("t", "two"), WAIT)).isTrue();
      String dead = pooledIds().get(0);
      fx.runtime.remove(dead);
      Sandbox s = pool.create(spec("t", "two"));
      assertThat(s.id()).isNotEqualTo(dead);
      assertThat(fx.sh(s, "echo alive").stdout()).isEqualTo("alive\n");
    }
  }

  @Test
  void forgottenSpecsAndClosingLeaveNothingStarted() throws Exception {
    try (SandboxPool pool = pool(1, 2)) {
      fx.runtime.destroy(pool.create(spec("t", "a")));
      assertThat(pool.awaitReady(spec("t", "a"), WAIT)).isTrue();
      assertThat(pool.expire()).isZero();
      clock.advance(Duration.ofMinutes(6));
      assertThat(pool.expire()).isEqualTo(1);
      assertThat(pooledIds()).isEmpty();

      fx.runtime.destroy(pool.create(spec("t", "b")));
      assertThat(pool.awaitReady(spec("t", "b"), WAIT)).isTrue();
    }
    assertThat(pooledIds()).isEmpty();
    fx.assertNothingLeft();
  }

  /** A clock the test moves; the runtime keeps the real one. */
  private static final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    void advance(Duration d) {
      offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
