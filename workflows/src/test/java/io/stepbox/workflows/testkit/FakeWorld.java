package io.stepbox.workflows.testkit;

import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What fake workers did, shared by the fake activities of every worker in a test: the runs, the
 * exports, the released and the still-held warm sandboxes, and how many activities ran at once.
 */
public final class FakeWorld {
  /** One runStep call: the queue it ran on, its request and its result (null if it threw). */
  public record Run(String queue, StepRequest request, StepResult result) {}

  /** One releaseWarm call. */
  public record Release(String queue, String sandboxId) {}

  private final List<Run> runs = new ArrayList<>();
  private final List<ExportRequest> exports = new ArrayList<>();
  private final List<Release> releases = new ArrayList<>();
  private final Set<String> held = new HashSet<>();
  private int inFlight;
  private int maxInFlight;
  private int counter;
  private volatile String warmQueue;
  private volatile CountDownLatch gate;
  private volatile boolean ignoreKeepWarm;

  /** Workers report sandboxes kept warm on {@code queue} when asked to keep them; null: never. */
  public FakeWorld warmOn(String queue) {
    this.warmQueue = queue;
    return this;
  }

  /** Workers keep sandboxes warm even when a request does not ask for it. */
  public FakeWorld keepWarmAlways() {
    this.ignoreKeepWarm = true;
    return this;
  }

  boolean keepsWarm(boolean asked) {
    return warmQueue != null && (asked || ignoreKeepWarm);
  }

  /** Steps block until {@code latch} is counted down. */
  public FakeWorld blockOn(CountDownLatch latch) {
    this.gate = latch;
    return this;
  }

  String warmQueue() {
    return warmQueue;
  }

  synchronized int next() {
    return ++counter;
  }

  synchronized void started() {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
  }

  synchronized void finished(Run run) {
    inFlight--;
    runs.add(run);
    if (run.result() != null && run.result().warmSandboxId() != null) {
      held.add(run.result().warmSandboxId());
    }
  }

  void awaitGate() throws InterruptedException {
    CountDownLatch g = gate;
    if (g != null && !g.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("test never opened the gate");
    }
  }

  synchronized void take(String sandboxId) {
    held.remove(sandboxId);
  }

  synchronized void exported(ExportRequest r) {
    exports.add(r);
  }

  synchronized void released(Release r) {
    releases.add(r);
    held.remove(r.sandboxId());
  }

  public synchronized List<Run> runs() {
    return List.copyOf(runs);
  }

  public synchronized List<ExportRequest> exports() {
    return List.copyOf(exports);
  }

  public synchronized List<Release> releases() {
    return List.copyOf(releases);
  }

  /** Sandboxes kept warm and neither reused nor released. */
  public synchronized Set<String> held() {
    return Set.copyOf(held);
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  public synchronized int maxInFlight() {
    return maxInFlight;
  }
}
