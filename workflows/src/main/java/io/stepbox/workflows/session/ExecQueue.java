package io.stepbox.workflows.session;

import io.temporal.workflow.Workflow;

/**
 * Serves update handlers one at a time in arrival order: each takes a ticket and waits for its
 * turn. Deterministic, since tickets are taken in the order the handlers start.
 */
final class ExecQueue {
  private long issued;
  private long serving;

  /** Waits until every handler that entered before has left. */
  void enter() {
    long ticket = issued++;
    Workflow.await(() -> serving == ticket);
  }

  /** Lets the next handler in. */
  void leave() {
    serving++;
  }

  /** Whether a handler is running or waiting. */
  boolean busy() {
    return serving < issued;
  }
}
