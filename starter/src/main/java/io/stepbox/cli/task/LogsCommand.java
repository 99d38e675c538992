package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.OutputKind;
import io.stepbox.client.StepboxClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepbox logs ID --step S [--stderr] [--approach A]}: a step's full output. */
@Command(
    name = "logs",
    description = {
      "a step's full output, from the blob store",
      "Prints the full stdout (--stderr: stderr) of step S of task ID from the blob store"
          + " (STEPBOX_BLOB_URL, which must be the workers' store), of the attempt that decided the"
          + " step."
    },
    footer = {
      "Exit codes: 0 printed, 1 no such task or step, the step has not run, or the output is gone;"
          + " 125 Temporal unreachable."
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  String id;

  @Option(names = "--step", paramLabel = "S", required = true, description = "the step")
  String step;

  @Option(names = "--stderr", description = "the step's stderr instead of its stdout")
  boolean stderr;

  @Option(
      names = "--approach",
      paramLabel = "A",
      description = "the last attempt of approach A (\"default\": the step's own run)")
  String approach;

  private final Cli cli;

  LogsCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    OutputKind kind = stderr ? OutputKind.STDERR : OutputKind.STDOUT;
    try (StepboxClient tasks = cli.connectClient()) {
      cli.copyToOut(
          tasks.task(id).openOutput(step, approach, kind),
          "the output from " + cli.config().blobUrl());
    }
    return TaskExit.OK;
  }
}
