package io.stepbox.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sandboxes nobody will use again, found by label: expired ones, stopped ones, and those
 * that an earlier run of this worker id left behind (its JVM died). Then ends stray runsc processes
 * whose container is gone. Start it when a worker starts: {@link #start} runs one pass at once and
 * then one every period.
 */
public final class SandboxReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SandboxReaper.class);

  /** What one pass removed. */
  public record Report(
      List<String> expired,
      List<String> stopped,
      List<String> orphaned,
      List<Long> strayProcesses,
      List<String> egressProxies) {
    public int total() {
      return expired.size()
          + stopped.size()
          + orphaned.size()
          + strayProcesses.size()
          + egressProxies.size();
    }
  }

  /**
   * A stopped sandbox stays this long, so that whoever ran the command that stopped it (an OOM
   * kill) can still read why.
   */
  static final Duration STOPPED_GRACE = Duration.ofMinutes(2);

  private final DockerSandboxRuntime runtime;
  private final ScheduledExecutorService timer;
  private final boolean orphans;

  private SandboxReaper(
      DockerSandboxRuntime runtime, ScheduledExecutorService timer, boolean orphans) {
    this.runtime = runtime;
    this.timer = timer;
    this.orphans = orphans;
  }

  /**
   * A reaper that runs only when {@link #reapNow()} is called.
   *
   * @param orphans also remove sandboxes of this worker id made by an earlier run; false for
   *     processes (like the CLI) that share a worker id across runs on purpose
   */
  public static SandboxReaper manual(DockerSandboxRuntime runtime, boolean orphans) {
    return new SandboxReaper(runtime, null, orphans);
  }

  /** Runs one pass now, then one every {@code period} on a daemon thread until closed. */
  public static SandboxReaper start(DockerSandboxRuntime runtime, Duration period) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stepbox-reaper");
              t.setDaemon(true);
              return t;
            });
    SandboxReaper reaper = new SandboxReaper(runtime, timer, true);
    reaper.reapNow();
    timer.scheduleWithFixedDelay(
        reaper::reapQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return reaper;
  }

  /** One pass; see the class comment for what goes. */
  public Report reapNow() {
    Instant now = runtime.clock().instant();
    List<String> expired = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    List<String> orphaned = new ArrayList<>();
    for (SandboxInfo s : runtime.list()) {
      Map<String, String> labels = s.labels();
      List<String> bucket = null;
      if (s.expiresAt().map(now::isAfter).orElse(true)) {
        bucket = expired;
      } else if ((s.state().equals("exited") || s.state().equals("dead"))
          && runtime
              .finishedAt(s.id())
              .map(f -> f.plus(STOPPED_GRACE).isBefore(now))
              .orElse(true)) {
        bucket = stopped;
      } else if (orphans
          && runtime.workerId().equals(labels.get(SandboxLabels.WORKER))
          && !runtime.workerRun().equals(labels.get(SandboxLabels.WORKER_RUN))) {
        bucket = orphaned;
      }
      if (bucket != null && runtime.remove(s.id())) {
        bucket.add(s.id());
      }
    }
    List<Long> stray = List.of();
    if (DockerSandboxRuntime.isLocalEngine(runtime.dockerHost())) {
      var scanned = StrayProcesses.scan();
      Set<String> alive = runtime.allContainerIds();
      stray = StrayProcesses.killUnless(scanned, alive::contains);
    }
    List<String> proxies =
        DockerSandboxRuntime.isLocalEngine(runtime.dockerHost()) ? runtime.reapEgress() : List.of();
    Report report = new Report(expired, stopped, orphaned, stray, proxies);
    record(report);
    return report;
  }

  private void record(Report r) {
    SandboxMetrics m = runtime.metrics();
    m.reaped("expired", r.expired().size());
    m.reaped("stopped", r.stopped().size());
    m.reaped("orphaned", r.orphaned().size());
    m.reaped("stray_process", r.strayProcesses().size());
    m.reaped("egress_proxy", r.egressProxies().size());
    if (r.total() > 0) {
      log.info(
          "reaper removed {} expired, {} stopped, {} orphaned sandboxes, {} stray runsc "
              + "processes and {} egress proxies",
          r.expired().size(),
          r.stopped().size(),
          r.orphaned().size(),
          r.strayProcesses().size(),
          r.egressProxies().size());
    }
  }

  private void reapQuietly() {
    try {
      reapNow();
    } catch (RuntimeException e) {
      log.warn("reaper pass failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
