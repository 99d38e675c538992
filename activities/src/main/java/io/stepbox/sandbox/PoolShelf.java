package io.stepbox.sandbox;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** What {@link SandboxPool} holds for one spec; guarded by the pool's monitor. */
final class PoolShelf {
  /** A pooled sandbox on the shelf, and since when. */
  record Shelved(PooledStarts.Pooled pooled, Instant since) {}

  final Deque<Shelved> ready = new ArrayDeque<>();
  int starting;
  Instant lastAsked;
  Instant failedAt;

  PoolShelf(Instant now) {
    lastAsked = now;
  }

  /** Sandboxes ready or starting. */
  int held() {
    return ready.size() + starting;
  }
}
