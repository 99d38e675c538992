package io.stepbox.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** This process's channels to the agents of its sandboxes, opened on first use. Thread-safe. */
final class AgentChannels implements AutoCloseable {
  /** How long a new channel waits for the agent's hello: the sandbox may still be starting. */
  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);

  private final String dockerHost;
  private final Map<String, AgentChannel> open = new ConcurrentHashMap<>();

  AgentChannels(String dockerHost) {
    this.dockerHost = dockerHost;
  }

  /** The open channel to the sandbox's agent; a new one when there is none or it ended. */
  AgentChannel get(String containerId) {
    return open.compute(
        containerId,
        (id, ch) -> ch != null && ch.isOpen() ? ch : AgentChannel.open(dockerHost, id, HELLO_TIMEOUT));
  }

  /** Closes the sandbox's channel, if any: the sandbox is going away. */
  void forget(String containerId) {
    AgentChannel ch = open.remove(containerId);
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public void close() {
    open.values().forEach(AgentChannel::close);
    open.clear();
  }
}
