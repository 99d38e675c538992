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

  /**
   * How a run of a step ended: the snapshot the next step starts from, or why it failed.
   *
   * @param attempts the attempts of this run, in order
   * @param exhausted whether the step failed because every candidate ran and failed
   */
  record Outcome(String snapshot, String error, List<AttemptStatus> attempts, boolean exhausted) {
    /** A step that failed for {@code error} without running (again). */
    static Outcome failed(String error) {
      return new Outcome(null, error, List.of(), false);
    }

    boolean succeeded() {
      return snapshot != null;
    }
  }

  /**
   * Runs step {@code index}'s command, then its approaches, from {@code base}.
   *
   * @param start when the step's first run started; its duration counts from there
   */
  Outcome run(int index, StepSpec step, String base, boolean keepWarm, long start) {
    progress.current(index, TaskState.RUNNING);
    List<String> failures = new ArrayList<>();
    List<AttemptStatus> attempts = new ArrayList<>();
    for (ApproachSpec approach : StepPlanner.candidates(step)) {
      StepResult r = attempt(index, step, approach, base, keepWarm, attempts);
      if (r == null) {
        String why = attempts.get(attempts.size() - 1).error();
        String error = "step " + step.id() + " (" + approach.name() + "): " + why;
        return failed(index, start, error, attempts, false);
      }
      if (r.succeeded() && r.snapshotId() == null) {
        String error = "step " + step.id() + ": the worker returned no snapshot";
        return failed(index, start, error, attempts, false);
      }
      if (r.succeeded()) {
        long took = Workflow.currentTimeMillis() - start;
        progress.update(index, s -> s.finished(StepState.SUCCEEDED, r.snapshotId(), took));
        return new Outcome(r.snapshotId(), null, attempts, false);
      }
      failures.add(approach.name() + ": " + describe(r));
    }
    String what = failures.size() == 1 ? "failed" : "failed with every approach";
    String error = "step " + step.id() + " " + what + " (" + String.join(", ", failures) + ")";
    return failed(index, start, error, attempts, true);
  }

  /**
   * Runs one approach and records its attempt in {@code attempts} and the progress; returns its
   * result, or null when the activity failed.
   */
  private StepResult attempt(
      int index,
      StepSpec step,
      ApproachSpec approach,
      String base,
      boolean keepWarm,
      List<AttemptStatus> attempts) {
    progress.update(index, s -> s.running(approach.name()));
    long attemptStart = Workflow.currentTimeMillis();
    StepRunner.Attempt a;
    try {
      a = runner.run(planner.request(step, approach, base, keepWarm));
    } catch (ActivityFailure e) {
      long took = Workflow.currentTimeMillis() - attemptStart;
      record(index, attempts, AttemptStatus.failed(approach.name(), Failures.describe(e), took));
      return null;
    }
    AttemptStatus status =
        AttemptStatus.of(approach.name(), a.result(), a.durationMillis(), a.warm());
    record(index, attempts, status);
    return a.result();
  }

  private void record(int index, List<AttemptStatus> attempts, AttemptStatus status) {
    attempts.add(status);
    progress.update(index, s -> s.withAttempt(status));
  }

  private Outcome failed(
      int index, long start, String error, List<AttemptStatus> attempts, boolean exhausted) {
    long took = Workflow.currentTimeMillis() - start;
    progress.update(index, s -> s.finished(StepState.FAILED, null, took));
    return new Outcome(null, error, attempts, exhausted);
  }

  private static String describe(StepResult r) {
    return r.outcome() == ExecOutcome.EXITED
        ? "exit " + r.exitCode()
        : r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
