package io.stepbox.activities;

import io.stepbox.sandbox.SandboxException;
import io.stepbox.snapshot.SnapshotException;
import io.stepbox.store.BlobStoreException;
import io.stepbox.workflows.step.StepActivities;
import io.temporal.failure.ApplicationFailure;

/** Turns stepbox's failures into Temporal's: a bad request is final, a fault is retried. */
final class StepFailures {
  private StepFailures() {}

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, StepActivities.INVALID_STEP);
  }

  /**
   * The Temporal failure for {@code e}, decided by its type and reason alone (never by its
   * message): bad requests and damaged snapshots become a non-retryable {@value
   * StepActivities#INVALID_STEP}; engine, store and host faults a retryable failure of type
   * SandboxFault, SnapshotFault or StoreFault. Other exceptions pass through unchanged.
   */
  static RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof ApplicationFailure) {
      return e;
    }
    if (e instanceof SandboxException s) {
      return switch (s.reason()) {
        case INVALID_SPEC, IMAGE_NOT_FOUND, RUNTIME -> invalid(what + ": " + s.getMessage());
        default -> fault(what, "SandboxFault", s);
      };
    }
    if (e instanceof SnapshotException s) {
      return s.retryable() ? fault(what, "SnapshotFault", s) : invalid(what + ": " + s.getMessage());
    }
    if (e instanceof BlobStoreException b) {
      return b.retryable() ? fault(what, "StoreFault", b) : invalid(what + ": " + b.getMessage());
    }
    return e;
  }

  private static ApplicationFailure fault(String what, String type, RuntimeException e) {
    return ApplicationFailure.newFailureWithCause(what + ": " + e.getMessage(), type, e);
  }
}
