package io.stepbox.bench;

import io.stepbox.cli.CommandException;
import io.stepbox.cli.HostCommand;
import io.stepbox.client.StepboxClient;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The ways {@code bench workload} runs the {@link Workload}, each timed and checked: every command
 * must exit 0 and pytest must report its summary, or the benchmark fails with the output's tail.
 */
final class WorkloadWays {
  /** Long enough for the suite under gVisor on a busy machine; a task past it fails the run. */
  private static final Duration TASK_TIMEOUT = Duration.ofMinutes(40);

  /**
   * What one way took.
   *
   * @param millis create to the end of the test command (one container), or start to completion
   *     (the durable task)
   * @param suite pytest's summary, with the suite's own time
   * @param slowest the slowest tests' own times in milliseconds, slowest first ({@code
   *     --durations})
   * @param steps the durable task's steps; empty for one container
   */
  record Timing(
      long millis, PytestSummary suite, Map<String, Long> slowest, List<StepTime> steps) {}

  /**
   * One durable step's times.
   *
   * @param step the step's id
   * @param durationMillis the step's duration as the workflow saw it ({@link
   *     StepStatus#durationMillis()})
   * @param phases the worker's breakdown of the attempt that decided it
   */
  record StepTime(String step, long durationMillis, StepPhases phases) {
    /** What the step cost beyond its command: its duration minus the exec time. */
    long overheadMillis() {
      return durationMillis - phases.execMillis();
    }
  }

  private WorkloadWays() {}

  /** The three commands one after the other in one sandbox under {@code runtime}. */
  static Timing container(SandboxRuntime rt, Workload work, String runtime, String way) {
    long t0 = System.nanoTime();
    Sandbox s = rt.create(work.sandbox(runtime));
    try {
      CommandResult last = null;
      for (Workload.Step step : Workload.STEPS) {
        last = rt.exec(s, Workload.exec(step));
        if (!last.succeeded()) {
          throw failed(way, step.id(), how(last), last.stdout() + "\n" + last.stderr());
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String out = last.stdout();
      return new Timing(ms, summary(way, out), PytestSummary.slowestCalls(out), List.of());
    } finally {
      rt.destroy(s);
    }
  }

  /** The durable task of three steps, from its start to its completion. */
  static Timing durable(StepboxClient client, Workload work, String way) {
    String id = "bench-workload-" + UUID.randomUUID().toString().substring(0, 8);
    long t0 = System.nanoTime();
    TaskStatus end = client.startTask(work.task(), id).awaitResult(TASK_TIMEOUT);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (end.status() != TaskState.COMPLETED) {
      AttemptStatus a =
          end.findStep(String.valueOf(end.currentStep()))
              .flatMap(StepStatus::finalAttempt)
              .orElse(null);
      String output = a == null ? "" : a.stdoutTail() + "\n" + a.stderrTail();
      throw failed(way, end.currentStep() + " (task " + id + ")", end.error(), output);
    }
    List<StepTime> steps = new ArrayList<>();
    for (StepStatus step : end.steps()) {
      AttemptStatus a = step.finalAttempt().orElseThrow();
      steps.add(new StepTime(step.id(), step.durationMillis(), a.phases()));
    }
    String out =
        end.findStep(Workload.TEST_STEP)
            .flatMap(StepStatus::finalAttempt)
            .map(AttemptStatus::stdoutTail)
            .orElse("");
    return new Timing(ms, summary(way, out), PytestSummary.slowestCalls(out), steps);
  }

  private static PytestSummary summary(String way, String output) {
    return PytestSummary.parse(output)
        .orElseThrow(
            () -> failed(way, Workload.TEST_STEP, "printed no pytest summary line", output));
  }

  private static String how(CommandResult r) {
    return switch (r.outcome()) {
      case EXITED -> "exited " + r.exitCode();
      default -> r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  private static CommandException failed(String way, String step, String why, String output) {
    return new CommandException(
        1,
        "bench workload: "
            + way
            + ", step "
            + step
            + ": "
            + why
            + "; the output ends with:\n"
            + HostCommand.tail(String.valueOf(output), HostCommand.TAIL_CHARS),
        null);
  }
}
