package io.stepbox.step;

import io.stepbox.sandbox.ExecOutcome;
import io.stepbox.sandbox.ExecResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.snapshot.Manifest;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.BlobStore;
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

  /**
   * @param warmQueue this worker's own task queue, where the next step of a task finds the sandbox
   *     kept in {@code warm}
   * @param workerEnv where secrets' values come from (the worker's environment)
   */
  public StepActivitiesImpl(
      SandboxRuntime runtime,
      SnapshotEngine snapshots,
      BlobStore blobs,
      WarmPool warm,
      String warmQueue,
      Map<String, String> workerEnv) {
    this.runtime = runtime;
    this.snapshots = snapshots;
    this.blobs = blobs;
    this.warm = warm;
    this.warmQueue = warmQueue;
    this.sandboxes = new StepSandboxes(runtime, snapshots, warm, workerEnv);
  }

  @Override
  public StepResult runStep(StepRequest req) {
    ActivityExecutionContext ctx = context();
    StepSandboxes.check(req);
    long start = System.nanoTime();
    Sandbox sandbox = null;
    boolean kept = false;
    try (Heartbeats beats = new Heartbeats(ctx);
        OutputFiles output = new OutputFiles(req.limits().outputBytes())) {
      beats.phase("sandbox");
      StepSandboxes.Acquired acquired = sandboxes.acquire(req);
      sandbox = acquired.sandbox();
      beats.phase("exec");
      long t = System.nanoTime();
      ExecResult r = runtime.exec(sandbox, sandboxes.execRequest(req), output);
      long execMs = ms(t);
      beats.phase("output");
      String prefix = outputPrefix(req, ctx);
      output.store(blobs, prefix);
      beats.phase("snapshot");
      t = System.nanoTime();
      Manifest m = snapshots.capture(sandbox, req.taskId(), req.stepId());
      long snapMs = ms(t);
      boolean keep = req.keepWarm() && r.outcome() != ExecOutcome.OOM_KILLED;
      if (keep) {
        warm.keep(sandbox, m.id());
        kept = true;
      }
      var phases =
          new StepPhases(
              acquired.sandboxMillis(), acquired.restoreMillis(), execMs, snapMs, ms(start));
      return new StepResult(
          req.taskId(),
          req.stepId(),
          req.approach(),
          r.outcome().name(),
          r.exitCode(),
          tail(r.stdoutTail()),
          tail(r.stderrTail()),
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
          keep ? sandbox.id() : null);
    } catch (RuntimeException e) {
      throw StepFailures.translate("step " + req.stepId() + " (" + req.approach() + ")", e);
    } finally {
      if (sandbox != null && !kept) {
        runtime.destroy(sandbox);
      }
    }
  }

  @Override
  public ExportResult exportPaths(ExportRequest req) {
    try (Heartbeats beats = new Heartbeats(context())) {
      beats.phase("export");
      return new Exporter(runtime, snapshots, blobs).export(req);
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

  /** {@code outputs/<task>/<step>/<approach>/<activity>-<attempt>}: one place per attempt. */
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
