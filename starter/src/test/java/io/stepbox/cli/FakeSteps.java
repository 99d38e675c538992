package io.stepbox.cli;

import io.stepbox.store.BlobStore;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.StepActivities;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step activities without sandboxes, for CLI tests: the command decides the outcome. {@code exit N}
 * exits with N, {@code slow} times out, {@code oom} runs out of memory, {@code big} writes 10 KiB;
 * stdout is {@link #stdout}; full output goes to the blob store like a real worker's. Every run
 * gets a new snapshot {@code snap-N} of N KiB.
 */
final class FakeSteps implements StepActivities {
  private static final Pattern EXIT = Pattern.compile("exit (\\d+)");

  private final BlobStore blobs;
  private final AtomicInteger runs = new AtomicInteger();

  FakeSteps(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** What a run of {@code r} writes to stdout. */
  static String stdout(StepRequest r) {
    String line = "ran " + r.stepId() + "/" + r.approach() + ": " + r.command() + "\n";
    return r.command().contains("big") ? line.repeat(10 * 1024 / line.length() + 1) : line;
  }

  @Override
  public StepResult runStep(StepRequest r) {
    int n = runs.incrementAndGet();
    Matcher m = EXIT.matcher(r.command());
    int exit = m.find() ? Integer.parseInt(m.group(1)) : 0;
    ExecOutcome outcome = ExecOutcome.EXITED;
    if (r.command().contains("slow")) {
      outcome = ExecOutcome.TIMED_OUT;
      exit = -1;
    } else if (r.command().contains("oom")) {
      outcome = ExecOutcome.OOM_KILLED;
      exit = 137;
    }
    byte[] out = stdout(r).getBytes(StandardCharsets.UTF_8);
    byte[] err =
        ("err of " + r.stepId() + "/" + r.approach() + "\n").getBytes(StandardCharsets.UTF_8);
    String prefix = "outputs/" + r.taskId() + "/" + r.stepId() + "-" + r.approach() + "-" + n;
    blobs.put(prefix + ".stdout", out);
    blobs.put(prefix + ".stderr", err);
    return new StepResult(
        r.taskId(),
        r.stepId(),
        r.approach(),
        outcome,
        exit,
        tail(out),
        tail(err),
        prefix + ".stdout",
        prefix + ".stderr",
        out.length,
        err.length,
        "snap-" + n,
        1024L * n,
        512L * n,
        n,
        new StepPhases(1, 2, 3, 4, 10),
        null,
        null,
        false);
  }

  private static String tail(byte[] data) {
    int from = Math.max(0, data.length - StepResult.TAIL_BYTES);
    return new String(data, from, data.length - from, StandardCharsets.UTF_8);
  }

  @Override
  public ExportResult exportPaths(ExportRequest request) {
    String ref = "exports/" + request.taskId() + ".tar";
    byte[] tar = ("tar of " + request.paths()).getBytes(StandardCharsets.UTF_8);
    blobs.put(ref, tar);
    return new ExportResult(ref, tar.length, List.of());
  }

  @Override
  public void releaseWarm(String sandboxId) {}
}
