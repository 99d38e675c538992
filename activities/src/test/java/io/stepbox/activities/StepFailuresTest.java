package io.stepbox.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.SandboxException;
import io.stepbox.snapshot.SnapshotException;
import io.stepbox.store.BlobStoreException;
import io.stepbox.workflows.step.StepActivities;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StepFailuresTest {
  @ParameterizedTest
  @EnumSource(
      value = SnapshotException.Reason.class,
      names = {"STORE", "LAYER", "SANDBOX", "INTERRUPTED"})
  void aSnapshotFaultIsARetryableSnapshotFault(SnapshotException.Reason reason) {
    SnapshotException e = new SnapshotException(reason, "chunk abc: reading failed");
    ApplicationFailure f = translated("capture", e);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getType()).isEqualTo("SnapshotFault");
    assertThat(f.getOriginalMessage()).isEqualTo("capture: chunk abc: reading failed");
    assertThat(f.getCause()).isSameAs(e);
  }

  @ParameterizedTest
  @EnumSource(
      value = SnapshotException.Reason.class,
      names = {"STORE", "LAYER", "SANDBOX", "INTERRUPTED"},
      mode = EnumSource.Mode.EXCLUDE)
  void aBadSnapshotOrRequestIsAFinalInvalidStep(SnapshotException.Reason reason) {
    ApplicationFailure f = translated("restore", new SnapshotException(reason, "snapshot s1: x"));
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(StepActivities.INVALID_STEP);
    assertThat(f.getOriginalMessage()).isEqualTo("restore: snapshot s1: x");
  }

  @Test
  void theMessageDecidesNothing() {
    // Words that once made a snapshot failure final do not, on a retryable reason.
    SnapshotException fault =
        new SnapshotException(
            SnapshotException.Reason.STORE, "snapshot s1 does not exist in x; it is corrupt");
    assertThat(translated("restore", fault).isNonRetryable()).isFalse();
    SnapshotException bad = new SnapshotException(SnapshotException.Reason.CORRUPT, "bad");
    assertThat(translated("restore", bad).isNonRetryable()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(SandboxException.Reason.class)
  void aSandboxFailureIsFinalOnlyForABadRequest(SandboxException.Reason reason) {
    ApplicationFailure f = translated("run", new SandboxException(reason, "m"));
    boolean bad =
        reason == SandboxException.Reason.INVALID_SPEC
            || reason == SandboxException.Reason.IMAGE_NOT_FOUND
            || reason == SandboxException.Reason.RUNTIME;
    assertThat(f.isNonRetryable()).isEqualTo(bad);
    assertThat(f.getType()).isEqualTo(bad ? StepActivities.INVALID_STEP : "SandboxFault");
  }

  @Test
  void aStoreFailureFollowsItsRetryableFlag() {
    ApplicationFailure down = translated("spool", new BlobStoreException("down", true, null));
    assertThat(down.isNonRetryable()).isFalse();
    assertThat(down.getType()).isEqualTo("StoreFault");
    ApplicationFailure refused = translated("spool", new BlobStoreException("no", false, null));
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getType()).isEqualTo(StepActivities.INVALID_STEP);
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    ApplicationFailure already = ApplicationFailure.newFailure("m", "T");
    assertThat(StepFailures.translate("run", already)).isSameAs(already);
    IllegalStateException other = new IllegalStateException("m");
    assertThat(StepFailures.translate("run", other)).isSameAs(other);
  }

  private static ApplicationFailure translated(String what, RuntimeException e) {
    RuntimeException t = StepFailures.translate(what, e);
    assertThat(t).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) t;
  }
}
