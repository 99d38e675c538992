package io.stepbox.activities;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sandboxes a worker keeps after a step so that the task's next step, routed to this worker, can
 * skip the restore. Each is held at the snapshot its step committed; one that sits idle longer than
 * the idle limit is removed. Thread-safe.
 */
public final class WarmPool implements AutoCloseable {
  private record Held(Sandbox sandbox, String snapshotId, SandboxSpec spec, Instant since) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarmPool.class);

  private final SandboxRuntime runtime;
  private final Clock clock;
  private final Duration idle;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<Sandbox> removed;

  public WarmPool(SandboxRuntime runtime, Clock clock, Duration idle) {
    this(runtime, clock, idle, s -> {});
  }

  /**
   * @param removed told of each sandbox the pool removes, before it goes (say, {@link
   *     io.stepbox.snapshot.SnapshotEngine#forget})
   */
  public WarmPool(
      SandboxRuntime runtime,
      Clock clock,
      Duration idle,
      java.util.function.Consumer<Sandbox> removed) {
    this.runtime = runtime;
    this.clock = clock;
    this.idle = idle;
    this.removed = removed;
  }

  /** Keeps {@code sandbox}, made from {@code spec}, whose filesystem equals {@code snapshotId}. */
  public void keep(Sandbox sandbox, String snapshotId, SandboxSpec spec) {
    held.put(
        sandbox.id(),
        new Held(sandbox, snapshotId, spec.toBuilder().setStepId(null).build(), clock.instant()));
  }

  /**
   * Takes the sandbox out of the pool when it is held at {@code snapshotId}, was made with the same
   * limits, network and mounts as {@code spec}, and lives at least {@code needed} longer; any other
   * cannot serve and is removed.
   */
  public Optional<Sandbox> take(
      String sandboxId, String snapshotId, SandboxSpec spec, Duration needed) {
    Held h = held.remove(sandboxId);
    if (h == null) {
      return Optional.empty();
    }
    boolean fits =
        h.snapshotId().equals(snapshotId)
            && h.spec().equals(spec.toBuilder().setStepId(null).build())
            && h.sandbox().expiresAt().isAfter(clock.instant().plus(needed));
    if (!fits) {
      destroyQuietly(h.sandbox());
      return Optional.empty();
    }
    return Optional.of(h.sandbox());
  }

  /** Removes a held sandbox; unknown ids are ignored (it may have expired already). */
  public void release(String sandboxId) {
    Held h = held.remove(sandboxId);
    if (h != null) {
      destroyQuietly(h.sandbox());
    }
  }

  /** One that cannot be removed now is removed by the reaper at its expiry. */
  private void destroyQuietly(Sandbox sandbox) {
    removed.accept(sandbox);
    try {
      runtime.destroy(sandbox);
    } catch (RuntimeException e) {
      LOG.warn(
          "removing warm sandbox {} of task {} failed; the reaper removes it at its expiry: {}",
          sandbox.shortId(),
          sandbox.labels().get(io.stepbox.sandbox.SandboxLabels.TASK),
          e.getMessage());
    }
  }

  /** Removes sandboxes idle longer than the limit; returns how many. */
  public int expire() {
    Instant cutoff = clock.instant().minus(idle);
    List<String> old =
        held.entrySet().stream()
            .filter(e -> e.getValue().since().isBefore(cutoff))
            .map(Map.Entry::getKey)
            .toList();
    old.forEach(this::release);
    return old.size();
  }

  public int size() {
    return held.size();
  }

  /** Removes every held sandbox. */
  @Override
  public void close() {
    List.copyOf(held.keySet()).forEach(this::release);
  }
}
