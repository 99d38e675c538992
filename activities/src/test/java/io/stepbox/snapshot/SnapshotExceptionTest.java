package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.snapshot.SnapshotException.Reason;
import io.stepbox.store.BlobStoreException;
import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SnapshotExceptionTest {
  @Test
  void onlyFaultsOfTheStoreTheHostOrTheSandboxAreRetryable() {
    EnumSet<Reason> retryable = EnumSet.of(Reason.STORE, Reason.LAYER, Reason.SANDBOX, Reason.INTERRUPTED);
    for (Reason reason : Reason.values()) {
      assertThat(new SnapshotException(reason, "m").retryable())
          .as(reason.name())
          .isEqualTo(retryable.contains(reason));
    }
    assertThat(EnumSet.complementOf(retryable))
        .containsExactlyInAnyOrder(
            Reason.INVALID_REQUEST,
            Reason.NOT_FOUND,
            Reason.CORRUPT,
            Reason.WRONG_IMAGE,
            Reason.TOO_NEW,
            Reason.UNSUPPORTED,
            Reason.STORE_REFUSED);
  }

  @Test
  void eachFactoryGivesItsReason() {
    Throwable cause = new IOException("x");
    assertThat(SnapshotException.invalid("m").reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(SnapshotException.notFound("m").reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(SnapshotException.corrupt("m").reason()).isEqualTo(Reason.CORRUPT);
    assertThat(SnapshotException.corrupt("m", cause).reason()).isEqualTo(Reason.CORRUPT);
    assertThat(SnapshotException.wrongImage("m").reason()).isEqualTo(Reason.WRONG_IMAGE);
    assertThat(SnapshotException.tooNew("m").reason()).isEqualTo(Reason.TOO_NEW);
    assertThat(SnapshotException.unsupported("m").reason()).isEqualTo(Reason.UNSUPPORTED);
    assertThat(SnapshotException.layer("m").reason()).isEqualTo(Reason.LAYER);
    assertThat(SnapshotException.layer("m", cause).reason()).isEqualTo(Reason.LAYER);
    assertThat(SnapshotException.sandbox("m", cause).reason()).isEqualTo(Reason.SANDBOX);
    assertThat(SnapshotException.interrupted("m", new InterruptedException()).reason())
        .isEqualTo(Reason.INTERRUPTED);
    assertThat(SnapshotException.store("m", cause).getCause()).isSameAs(cause);
  }

  @Test
  void aStoreFailureIsRefusedOnlyWhenTheStoreSaidItCannotSucceed() {
    assertThat(SnapshotException.store("m", new IOException("reset")).reason())
        .isEqualTo(Reason.STORE);
    assertThat(SnapshotException.store("m", new BlobStoreException("slow", true, null)).reason())
        .isEqualTo(Reason.STORE);
    SnapshotException refused =
        SnapshotException.store("m", new BlobStoreException("no bucket", false, null));
    assertThat(refused.reason()).isEqualTo(Reason.STORE_REFUSED);
    assertThat(refused.retryable()).isFalse();
  }
}
