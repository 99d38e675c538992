package io.stepbox.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A handle on a sandbox: its id (the container id), image, labels and when it expires. Holding one
 * costs nothing; {@link SandboxRuntime#destroy} ends the sandbox.
 */
public record Sandbox(String id, String image, Map<String, String> labels, Instant expiresAt) {
  public Sandbox {
    labels = Map.copyOf(labels);
  }

  /** The first 12 characters of the id, as {@code docker ps} shows it. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  public Optional<String> task() {
    return Optional.ofNullable(labels.get(SandboxLabels.TASK));
  }

  public Optional<String> step() {
    return Optional.ofNullable(labels.get(SandboxLabels.STEP));
  }
}
