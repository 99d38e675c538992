package io.stepbox.workflows.session;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/** Starts forks of a session as abandoned child sessions named {@code <id>-fork-<n>}. */
final class Forks {
  private final String sessionId;
  private int count;

  Forks(String sessionId, int count) {
    this.sessionId = sessionId;
    this.count = count;
  }

  int count() {
    return count;
  }

  /** Starts a session with {@code input}, waits until it has started, returns its id. */
  String start(SessionInput input) {
    String forkId = sessionId + "-fork-" + ++count;
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(forkId)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .build();
    SessionWorkflow child = Workflow.newChildWorkflowStub(SessionWorkflow.class, options);
    Async.function(child::run, input);
    try {
      Workflow.getWorkflowExecution(child).get();
    } catch (ChildWorkflowFailure e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "fork " + forkId + " did not start: " + e.getMessage(), "ForkFailed");
    }
    return forkId;
  }
}
