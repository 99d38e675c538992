package io.stepbox.sandbox;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.spec.TaskSpec;

/**
 * Which network a sandbox gets. {@link None} (the default) leaves it loopback only; {@link
 * Internal} joins a Docker network created with {@code --internal}, so sandboxes on it reach each
 * other and nothing else; {@link Egress} reaches the hosts of its policy through a proxy of its
 * own and nothing else. Networks that route to the outside are refused by the runtime.
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
   * Named hosts through stepbox's egress proxy: the sandbox joins the egress network, whose only
   * reachable peer is a proxy started for this sandbox alone and enforcing {@code policy}.
   */
  record Egress(EgressPolicy policy) implements NetworkPolicy {
    public Egress {
      if (policy == null) {
        throw SandboxException.invalid("network: an egress policy must be given");
      }
      java.util.List<String> problems = policy.problems();
      if (!problems.isEmpty()) {
        throw SandboxException.invalid("network: " + String.join("; ", problems));
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
