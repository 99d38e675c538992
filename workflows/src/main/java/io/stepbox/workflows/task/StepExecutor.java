package io.stepbox.workflows.task;

import io.stepbox.workflows.internal.Failures;
import io.stepbox.workflows.internal.StepRunner;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one step: its own command, then each approach in order from the same base, until one
 * succeeds. Records every attempt in the task's progress; deletes nothing.
 */
final class StepExecutor {
  private final StepPlanner planner;
  private final StepRunner runner;
  private final TaskProgress progress;

  StepExecutor(StepPlanner planner, StepRunner runner, TaskProgress progress) {
    this.planner = planner;
    this.runner = runner;
    this.progress = progress;
  }

  /** How a step ended: the snapshot the next step starts from, or why it failed. */
  record Outcome(String snapshot, String error) {
    boolean succeeded() {
      return snapshot != null;
    }
  }

  Outcome run(int index, StepSpec step, String base, boolean keepWarm) {
    long start = Workflow.currentTimeMillis();
    progress.current(index, TaskState.RUNNING);
    List<String> failures = new ArrayList<>();
    for (ApproachSpec approach : StepPlanner.candidates(step)) {
      progress.update(index, s -> s.running(approach.name()));
      long attemptStart = Workflow.currentTimeMillis();
      StepRunner.Attempt attempt;
      try {
        attempt = runner.run(planner.request(step, approach, base, keepWarm));
      } catch (ActivityFailure e) {
        String why = Failures.describe(e);
        long took = Workflow.currentTimeMillis() - attemptStart;
        progress.update(
            index, s -> s.withAttempt(AttemptStatus.failed(approach.name(), why, took)));
        return failed(index, start, "step " + step.id() + " (" + approach.name() + "): " + why);
      }
      StepResult r = attempt.result();
      AttemptStatus status =
          AttemptStatus.of(approach.name(), r, attempt.durationMillis(), attempt.warm());
      progress.update(index, s -> s.withAttempt(status));
      if (r.succeeded() && r.snapshotId() == null) {
        return failed(index, start, "step " + step.id() + ": the worker returned no snapshot");
      }
      if (r.succeeded()) {
        long took = Workflow.currentTimeMillis() - start;
        progress.update(index, s -> s.finished(StepState.SUCCEEDED, r.snapshotId(), took));
        return new Outcome(r.snapshotId(), null);
      }
      failures.add(approach.name() + ": " + describe(r));
    }
    String what = failures.size() == 1 ? "failed" : "failed with every approach";
    return failed(
        index, start, "step " + step.id() + " " + what + " (" + String.join(", ", failures) + ")");
  }

  private Outcome failed(int index, long start, String error) {
    long took = Workflow.currentTimeMillis() - start;
    progress.update(index, s -> s.finished(StepState.FAILED, null, took));
    return new Outcome(null, error);
  }

  private static String describe(StepResult r) {
    return r.outcome() == ExecOutcome.EXITED
        ? "exit " + r.exitCode()
        : r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
