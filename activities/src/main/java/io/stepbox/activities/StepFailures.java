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

  static RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof ApplicationFailure) {
      return e;
    }
    if (e instanceof SandboxException s) {
      return switch (s.reason()) {
        case INVALID_SPEC, IMAGE_NOT_FOUND, RUNTIME -> invalid(what + ": " + s.getMessage());
        default ->
            ApplicationFailure.newFailureWithCause(what + ": " + s.getMessage(), "SandboxFault", s);
      };
    }
    if (e instanceof SnapshotException s) {
      String m = s.getMessage() == null ? "" : s.getMessage();
      if (m.contains("restore it into the same image")
          || m.contains("does not exist in")
          || m.contains("is corrupt")
          || m.contains("newer than this stepbox reads")) {
        return invalid(what + ": " + s.getMessage());
      }
      return ApplicationFailure.newFailureWithCause(
          what + ": " + s.getMessage(), "SnapshotFault", s);
    }
    if (e instanceof BlobStoreException b) {
      return b.retryable()
          ? ApplicationFailure.newFailureWithCause(what + ": " + b.getMessage(), "StoreFault", b)
          : invalid(what + ": " + b.getMessage());
    }
    return e;
  }
}
