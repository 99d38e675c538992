package io.stepbox.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.sandbox.SandboxLayer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a capture leaves for the next one when its listing is taken in the background. */
class PreviousCaptureMemoTest {
  @TempDir Path upper;
  ExecutorService background;
  PreviousCapture.Memo memo;
  SandboxLayer layer;
  PreviousCapture capture;

  @BeforeEach
  void setUp() {
    background = Executors.newCachedThreadPool();
    memo = new PreviousCapture.Memo();
    layer = new SandboxLayer(upper, List.of(), "sha256:image", true, Instant.now(), List.of());
    capture =
        new PreviousCapture(
            layer, Listing.of(upper, List.of(), Duration.ZERO), List.of(), 0, List.of(), 0);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    background.shutdownNow();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theNextCaptureWaitsForTheListingAndThenFindsIt() {
    CountDownLatch listed = new CountDownLatch(1);
    memo.putLater("s1", () -> await(listed, capture), background);
    CompletableFuture<PreviousCapture> next =
        CompletableFuture.supplyAsync(
            () -> {
              memo.awaitPending("s1");
              return memo.get("s1", layer);
            });

    assertThat(memo.get("s1", layer)).as("nothing before the listing is done").isNull();
    assertThat(next).isNotDone();
    listed.countDown();
    assertThat(next.join()).isSameAs(capture);
  }

  @Test
  void aSandboxForgottenWhileItsListingRunsIsNotRememberedAfterwards() throws InterruptedException {
    CountDownLatch listed = new CountDownLatch(1);
    memo.putLater("s1", () -> await(listed, capture), background);

    memo.forget("s1");
    memo.awaitPending("s1"); // returns at once: nothing is pending any more
    listed.countDown();
    background.shutdown(); // the listing and what follows it run on the background thread
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(memo.get("s1", layer)).isNull();
  }

  @Test
  void aListingThatFailsOrFindsNothingLeavesNothingAndNoOneWaiting() {
    memo.putLater(
        "s1",
        () -> {
          throw SnapshotException.layer("listing failed");
        },
        background);
    memo.awaitPending("s1");
    assertThat(memo.get("s1", layer)).isNull();

    memo.putLater("s2", () -> null, background);
    memo.awaitPending("s2");
    assertThat(memo.get("s2", layer)).isNull();
  }

  @Test
  void aClosedEngineTakesNoListingAndNoOneWaits() {
    background.shutdown();
    memo.putLater("s1", () -> capture, background);
    memo.awaitPending("s1");
    assertThat(memo.get("s1", layer)).isNull();
  }

  @Test
  void aLaterCaptureReplacesAListingStillRunning() throws InterruptedException {
    CountDownLatch first = new CountDownLatch(1);
    PreviousCapture second =
        new PreviousCapture(layer, capture.listing(), List.of(), 0, List.of(), 7);
    memo.putLater("s1", () -> await(first, capture), background);
    memo.put("s1", second);
    first.countDown();
    background.shutdown();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(memo.get("s1", layer)).isSameAs(second);
  }

  private static PreviousCapture await(CountDownLatch latch, PreviousCapture result) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return result;
  }
}
