package io.stepbox.cli;

import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code stepbox logs ID --step S [--stderr] [--approach A]}: a step's full output. */
final class LogsCommand {
  static final String HELP =
      """
      usage: stepbox logs ID --step S [--stderr] [--approach A]
        Prints the full stdout (--stderr: stderr) of step S of task ID from the blob store
        (STEPBOX_BLOB_URL, which must be the workers' store), of the attempt that decided the step.
        --approach A picks the last attempt of approach A instead ("default": the step's own run).
      Exit codes: 0 printed, 1 no such task or step, the step has not run, or the output is gone;
      125 Temporal unreachable.""";

  private final Cli cli;

  LogsCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out.println(HELP);
      return 0;
    }
    Args args = Args.parse("logs", argv, Set.of("step", "approach"), Set.of("stderr"));
    String id = args.positional(0, "the task id");
    String stepId =
        args.get("step")
            .orElseThrow(
                () -> new UsageException("name the step: stepbox logs " + id + " --step S"));
    TaskStatus status;
    try (Tasks tasks = Tasks.connect(cli.config)) {
      status = tasks.status(id);
    }
    AttemptStatus attempt = attempt(status, stepId, args.get("approach").orElse(null));
    String ref = args.flag("stderr") ? attempt.stderrRef() : attempt.stdoutRef();
    if (ref == null) {
      throw fail(
          "the attempt of step "
              + stepId
              + " left no output"
              + (attempt.error() == null ? "" : ": " + attempt.error()));
    }
    print(cli, ref, "step " + stepId);
    return TaskExit.OK;
  }

  /** The attempt whose output to print, or a failure that says why there is none. */
  static AttemptStatus attempt(TaskStatus status, String stepId, String approach) {
    StepStatus step =
        status
            .findStep(stepId)
            .orElseThrow(
                () ->
                    fail(
                        "task "
                            + status.id()
                            + " has no step '"
                            + stepId
                            + "'; its steps are "
                            + status.steps().stream()
                                .map(StepStatus::id)
                                .collect(Collectors.joining(", "))));
    if (step.attempts().isEmpty()) {
      throw fail(
          "step "
              + stepId
              + " of task "
              + status.id()
              + " has not run yet (it is "
              + step.status()
              + ")");
    }
    if (approach == null) {
      return step.finalAttempt().orElseThrow();
    }
    for (int i = step.attempts().size() - 1; i >= 0; i--) {
      if (step.attempts().get(i).approach().equals(approach)) {
        return step.attempts().get(i);
      }
    }
    throw fail(
        "step "
            + stepId
            + " has no attempt of approach '"
            + approach
            + "'; it tried "
            + step.attempts().stream()
                .map(AttemptStatus::approach)
                .distinct()
                .collect(Collectors.joining(", ")));
  }

  /** Prints the blob {@code ref}, the output of {@code what}, to stdout. */
  static void print(Cli cli, String ref, String what) {
    try (InputStream in =
        cli.blobs()
            .get(ref)
            .orElseThrow(
                () ->
                    fail(
                        "the output of "
                            + what
                            + " ("
                            + ref
                            + ") is not in the blob store "
                            + cli.config.blobUrl()
                            + ": set STEPBOX_BLOB_URL to the store the workers use"))) {
      in.transferTo(cli.out);
      cli.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ref + " from " + cli.config.blobUrl(), e);
    }
  }

  private static CommandException fail(String message) {
    return new CommandException(TaskExit.FAILED, message, null);
  }
}
