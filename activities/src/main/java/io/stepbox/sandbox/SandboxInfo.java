package io.stepbox.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One stepbox sandbox as the engine lists it, running or not.
 *
 * @param inPool started ahead of time by a {@link SandboxPool} and not taken yet: nobody's
 */
public record SandboxInfo(
    String id,
    String image,
    String state,
    Instant created,
    Map<String, String> labels,
    boolean inPool) {
  public SandboxInfo {
    labels = Map.copyOf(labels);
  }

  public boolean running() {
    return state.equals("running");
  }

  public Optional<String> worker() {
    return Optional.ofNullable(labels.get(SandboxLabels.WORKER));
  }

  /** When the sandbox expires, if its label can be read. */
  public Optional<Instant> expiresAt() {
    return SandboxLabels.expiry(labels);
  }
}
