package io.stepbox.sandbox;

import io.stepbox.workflows.spec.TaskSpec;

/**
 * Which network a sandbox gets. {@link None} (the default) leaves it loopback only; {@link
 * Internal} joins a Docker network created with {@code --internal}, so sandboxes on it reach each
 * other and nothing else. Networks that route to the outside are refused by the runtime.
 */
public sealed interface NetworkPolicy {
  /** Loopback only. */
  NetworkPolicy NONE = new None();

  /** Loopback only: no interface but {@code lo}. */
  record None() implements NetworkPolicy {}

  /** A named Docker network that must have been created with {@code --internal}. */
  record Internal(String name) implements NetworkPolicy {
    public Internal {
      if (name == null || name.isBlank()) {
        throw SandboxException.invalid("network: name must not be empty");
      }
    }
  }

  /**
   * The one reading of a network as specs, requests and the CLI write it: {@value
   * TaskSpec#NO_NETWORK}, empty or null for {@link #NONE}, else an internal network's name.
   */
  static NetworkPolicy parse(String text) {
    return text == null || text.isBlank() || text.equals(TaskSpec.NO_NETWORK)
        ? NONE
        : new Internal(text);
  }
}
