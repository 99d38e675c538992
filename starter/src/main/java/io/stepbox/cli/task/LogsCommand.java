package io.stepbox.cli.task;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.UsageException;
import io.stepbox.client.OutputKind;
import io.stepbox.client.StepboxClient;
import java.util.List;
import java.util.Set;

/** {@code stepbox logs ID --step S [--stderr] [--approach A]}: a step's full output. */
public final class LogsCommand {
  static final String HELP =
      """
      usage: stepbox logs ID --step S [--stderr] [--approach A]
        Prints the full stdout (--stderr: stderr) of step S of task ID from the blob store
        (STEPBOX_BLOB_URL, which must be the workers' store), of the attempt that decided the step.
        --approach A picks the last attempt of approach A instead ("default": the step's own run).
      Exit codes: 0 printed, 1 no such task or step, the step has not run, or the output is gone;
      125 Temporal unreachable.""";

  private final Cli cli;

  public LogsCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(HELP);
      return 0;
    }
    Args args = Args.parse("logs", argv, Set.of("step", "approach"), Set.of("stderr"));
    String id = args.positional(0, "the task id");
    String stepId =
        args.get("step")
            .orElseThrow(
                () -> new UsageException("name the step: stepbox logs " + id + " --step S"));
    OutputKind kind = args.flag("stderr") ? OutputKind.STDERR : OutputKind.STDOUT;
    try (StepboxClient tasks = cli.connectClient()) {
      cli.copyToOut(
          tasks.task(id).openOutput(stepId, args.get("approach").orElse(null), kind),
          "the output from " + cli.config().blobUrl());
    }
    return TaskExit.OK;
  }

}
