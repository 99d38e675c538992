package io.stepbox.activities;

import io.micrometer.core.instrument.MeterRegistry;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.snapshot.Manifest;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.BlobStore;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.StepActivities;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * One durable step: a sandbox from the base (warm, restored or fresh), the command, its full output
 * to the blob store, a snapshot, then a result with tails and references. Every attempt starts from
 * the request's base, so a retry after a crash is safe. A non-zero exit, a timeout or an OOM kill
 * is a result; engine and store faults are retryable failures; bad requests are final.
 */
public final class StepActivitiesImpl implements StepActivities {
  private final SandboxRuntime runtime;
  private final SnapshotEngine snapshots;
  private final BlobStore blobs;
  private final WarmPool warm;
  private final String warmQueue;
  private final StepSandboxes sandboxes;
  private final java.util.concurrent.Semaphore slots;
  private final String workerId;
  private final StepMetrics metrics;
  private final EgressAudit egress;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(StepActivitiesImpl.class);

  /**
   * @param warmQueue this worker's own task queue, where the next step of a task finds the sandbox
   *     kept in {@code warm}
   * @param workerEnv where secrets' values come from (the worker's environment)
   * @param maxConcurrentSteps sandboxes this worker runs at once, over both of its task queues
   * @param workerId names this worker's output spools, so that its next run removes leftovers
   * @param registry where the step timer {@code stepbox.step.run} goes (see {@link StepMetrics})
   */
  public StepActivitiesImpl(
      SandboxRuntime runtime,
      SnapshotEngine snapshots,
      BlobStore blobs,
      WarmPool warm,
      String warmQueue,
      Map<String, String> workerEnv,
      int maxConcurrentSteps,
      String workerId,
      MeterRegistry registry) {
    this(
        runtime,
        snapshots,
        blobs,
        warm,
        null,
        warmQueue,
        workerEnv,
        maxConcurrentSteps,
        workerId,
        registry);
  }

  /**
   * @param pool where a step from an image takes its sandbox; null to create each one
   */
  public StepActivitiesImpl(
      SandboxRuntime runtime,
      SnapshotEngine snapshots,
      BlobStore blobs,
      WarmPool warm,
      io.stepbox.sandbox.SandboxPool pool,
      String warmQueue,
      Map<String, String> workerEnv,
      int maxConcurrentSteps,
      String workerId,
      MeterRegistry registry) {
    this.runtime = runtime;
    this.snapshots = snapshots;
    this.blobs = blobs;
    this.warm = warm;
    this.warmQueue = warmQueue;
    this.sandboxes =
        new StepSandboxes(
            runtime, snapshots, warm, workerEnv, pool == null ? runtime::create : pool::create);
    this.slots = new java.util.concurrent.Semaphore(maxConcurrentSteps);
    this.workerId = workerId;
    this.metrics = new StepMetrics(registry);
    this.egress = new EgressAudit(runtime, blobs, registry);
    OutputFiles.removeStale(workerId); // what an earlier, killed run of this worker spooled
  }

  @Override
  public StepResult runStep(StepRequest req) {
    ActivityExecutionContext ctx = context();
    StepSandboxes.check(req);
    try (StepMdc mdc = StepMdc.open(req.taskId(), req.stepId(), req.approach(), ctx);
        Heartbeats beats = new Heartbeats(ctx)) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw StepFailures.translate("step " + req.stepId(), new IllegalStateException(e));
      }
      try {
        return run(req, ctx, beats);
      } finally {
        slots.release();
      }
    }
  }

  /** What an attempt holds, for its failure and its clean-up: the sandbox, and how it started. */
  private static final class Attempt {
    Sandbox sandbox;
    boolean kept;
    String how = StepMetrics.NONE;
  }

  private StepResult run(StepRequest req, ActivityExecutionContext ctx, Heartbeats beats) {
    long start = System.nanoTime();
    Attempt attempt = new Attempt();
    LOG.info("step {} ({}) started", req.stepId(), req.approach());
    try (OutputFiles output = new OutputFiles(req.limits().outputBytes(), workerId)) {
      ExecRequest exec = sandboxes.execRequest(req); // a missing secret fails before any sandbox
      StepSandboxes.Acquired acquired = acquire(req, attempt, beats);
      Sandbox sandbox = acquired.sandbox();
      beats.phase("exec");
      long t = System.nanoTime();
      CommandResult r = runtime.exec(sandbox, exec, output);
      long execMs = ms(t);
      settleUnlessOomKilled(sandbox, r);
      beats.phase("output");
      String prefix = outputPrefix(req, ctx);
      output.store(blobs, prefix);
      EgressSummary audit = req.egress() == null ? null : egress.record(sandbox, prefix);
      beats.phase("snapshot");
      boolean keep = req.keepWarm() && r.outcome() != ExecOutcome.OOM_KILLED;
      t = System.nanoTime();
      Manifest m = snapshots.capture(sandbox, req.taskId(), req.stepId(), keep);
      long snapMs = ms(t);
      if (keep) {
        warm.keep(sandbox, m.id(), sandboxes.spec(req));
        attempt.kept = true;
      }
      var phases =
          new StepPhases(
              acquired.sandboxMillis(), acquired.restoreMillis(), execMs, snapMs, ms(start));
      finished(req, r, m, attempt.how, start);
      return result(req, acquired, r, m, prefix, phases, keep, audit);
    } catch (RuntimeException e) {
      throw failed(req, attempt.how, start, e);
    } finally {
      if (attempt.sandbox != null && !attempt.kept) {
        destroyQuietly(attempt.sandbox);
      }
    }
  }

  /** Gets the attempt's sandbox, and records it and how it started in {@code attempt}. */
  private StepSandboxes.Acquired acquire(StepRequest req, Attempt attempt, Heartbeats beats) {
    beats.phase("sandbox");
    StepSandboxes.Acquired acquired = sandboxes.acquire(req);
    attempt.sandbox = acquired.sandbox();
    attempt.how = how(req, acquired);
    return acquired;
  }

  /** Brings the sandbox to rest ({@link Settle}), except after an OOM kill. */
  private void settleUnlessOomKilled(Sandbox sandbox, CommandResult r) {
    if (r.outcome() != ExecOutcome.OOM_KILLED) {
      Settle.stopLeftovers(runtime, sandbox);
    }
  }

  private static String how(StepRequest req, StepSandboxes.Acquired acquired) {
    if (acquired.warm()) {
      return StepMetrics.WARM;
    }
    return req.baseSnapshotId() == null ? StepMetrics.IMAGE : StepMetrics.RESTORE;
  }

  private StepResult result(
      StepRequest req,
      StepSandboxes.Acquired acquired,
      CommandResult r,
      Manifest m,
      String prefix,
      StepPhases phases,
      boolean keep,
      EgressSummary audit) {
    return new StepResult(
        req.taskId(),
        req.stepId(),
        req.approach(),
        r.outcome(),
        r.exitCode(),
        sandboxes.redact(req, tail(r.stdoutTail())),
        sandboxes.redact(req, tail(r.stderrTail())),
        prefix + "/stdout",
        prefix + "/stderr",
        r.stdoutBytes(),
        r.stderrBytes(),
        m.id(),
        m.tarBytes(),
        m.uploadedBytes(),
        m.fileCount(),
        phases,
        keep ? warmQueue : null,
        keep ? acquired.sandbox().id() : null,
        acquired.warm(),
        audit);
  }

  /** Records and logs a failed attempt; returns the Temporal failure to throw. */
  private RuntimeException failed(StepRequest req, String how, long start, RuntimeException e) {
    metrics.record("error", how, Duration.ofNanos(System.nanoTime() - start));
    // The message may quote the sandbox's output (tar's or the fifo scan's stderr): masked, and
    // the stack trace only at debug.
    LOG.warn(
        "step {} ({}) failed: {}",
        req.stepId(),
        req.approach(),
        sandboxes.redact(req, String.valueOf(e.getMessage())));
    LOG.debug("step {} ({}) failure", req.stepId(), req.approach(), e);
    return StepFailures.translate("step " + req.stepId() + " (" + req.approach() + ")", e);
  }

  private void finished(StepRequest req, CommandResult r, Manifest m, String how, long start) {
    String result = StepMetrics.result(r.outcome(), r.exitCode());
    metrics.record(result, how, Duration.ofNanos(System.nanoTime() - start));
    LOG.info(
        "step {} ({}) finished: {}, exit {}, {} ms, {} start, snapshot {} ({} bytes, {} uploaded)",
        req.stepId(),
        req.approach(),
        result,
        r.exitCode(),
        ms(start),
        how,
        m.id(),
        m.tarBytes(),
        m.uploadedBytes());
  }

  /** A sandbox that cannot be removed now is removed by the reaper at its expiry. */
  private void destroyQuietly(Sandbox sandbox) {
    snapshots.forget(sandbox);
    try {
      runtime.destroy(sandbox);
    } catch (RuntimeException e) {
      LOG.warn(
          "removing sandbox {} failed; the reaper removes it at its expiry: {}",
          sandbox.shortId(),
          e.getMessage());
    }
  }

  @Override
  public ExportResult exportPaths(ExportRequest req) {
    ActivityExecutionContext ctx = context();
    try (StepMdc mdc = StepMdc.open(req.taskId(), null, null, ctx);
        Heartbeats beats = new Heartbeats(ctx)) {
      beats.phase("export");
      String run = ctx == null ? "direct" : ctx.getInfo().getRunId();
      return new Exporter(runtime, snapshots, blobs).export(req, run);
    } catch (RuntimeException e) {
      throw StepFailures.translate("export of task " + req.taskId(), e);
    }
  }

  @Override
  public void releaseWarm(String sandboxId) {
    warm.release(sandboxId);
  }

  private static ActivityExecutionContext context() {
    try {
      return Activity.getExecutionContext();
    } catch (RuntimeException e) {
      return null; // called directly, outside an activity (tests, benchmarks)
    }
  }

  /**
   * {@code outputs/<task>/<run>/<step>/<approach>/<activity>-<attempt>}: one place per attempt,
   * also when a task id is used again.
   */
  static String outputPrefix(StepRequest req, ActivityExecutionContext ctx) {
    String attempt =
        ctx == null
            ? "direct-" + Long.toHexString(System.nanoTime())
            : ctx.getInfo().getActivityId() + "-" + ctx.getInfo().getAttempt();
    return String.join(
        "/",
        "outputs",
        safe(req.taskId()),
        safe(req.stepId()),
        safe(req.approach()),
        safe(attempt));
  }

  static String safe(String s) {
    String v = s == null || s.isEmpty() ? "_" : s.replaceAll("[^A-Za-z0-9_.=-]", "_");
    return v.equals(".") || v.equals("..") ? "_" : v;
  }

  private static String tail(byte[] bytes) {
    int from = Math.max(0, bytes.length - StepResult.TAIL_BYTES);
    return new String(Arrays.copyOfRange(bytes, from, bytes.length), StandardCharsets.UTF_8);
  }

  private static long ms(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
