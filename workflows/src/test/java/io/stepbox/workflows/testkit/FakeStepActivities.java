package io.stepbox.workflows.testkit;

import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.StepActivities;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's step activities without sandboxes: the command decides the outcome. {@code exit N}
 * exits with N, {@code oom} is OOM_KILLED, {@code slow} is TIMED_OUT, {@code invalid} fails as an
 * invalid step; anything else exits 0. Every run gets a new snapshot id {@code snap-N}.
 */
public final class FakeStepActivities implements StepActivities {
  private static final Pattern EXIT = Pattern.compile("exit (\\d+)");

  private final String queue;
  private final FakeWorld world;

  /** The activities of a worker polling {@code queue}, recording into {@code world}. */
  public FakeStepActivities(String queue, FakeWorld world) {
    this.queue = queue;
    this.world = world;
  }

  @Override
  public StepResult runStep(StepRequest r) {
    world.started();
    StepResult result = null;
    try {
      world.awaitGate();
      if (r.command().contains("invalid")) {
        throw ApplicationFailure.newNonRetryableFailure("command: invalid", INVALID_STEP);
      }
      if (r.warmSandboxId() != null) {
        world.take(r.warmSandboxId());
      }
      result = result(r, world.next());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      world.finished(new FakeWorld.Run(queue, r, result));
    }
  }

  private StepResult result(StepRequest r, int n) {
    Matcher m = EXIT.matcher(r.command());
    int exit = m.find() ? Integer.parseInt(m.group(1)) : 0;
    ExecOutcome outcome = ExecOutcome.EXITED;
    if (r.command().contains("oom")) {
      outcome = ExecOutcome.OOM_KILLED;
      exit = 137;
    } else if (r.command().contains("slow")) {
      outcome = ExecOutcome.TIMED_OUT;
      exit = -1;
    }
    boolean warm = world.keepsWarm(r.keepWarm());
    return new StepResult(
        r.taskId(),
        r.stepId(),
        r.approach(),
        outcome,
        exit,
        "ran " + r.command(),
        "",
        "out/" + n,
        "err/" + n,
        10,
        0,
        "snap-" + n,
        100 * n,
        10 * n,
        n,
        new StepPhases(1, r.warmSandboxId() == null ? 2 : 0, 3, 4, 10),
        warm ? world.warmQueue() : null,
        warm ? "sb-" + n : null,
        r.warmSandboxId() != null);
  }

  @Override
  public ExportResult exportPaths(ExportRequest request) {
    world.exported(request);
    return new ExportResult("exports/" + request.taskId() + ".tar", 2048, List.of());
  }

  @Override
  public void releaseWarm(String sandboxId) {
    world.released(new FakeWorld.Release(queue, sandboxId));
  }
}
