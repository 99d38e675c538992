package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.EgressLogOptions;
import io.stepbox.cli.EgressText;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.OutputKind;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stepbox logs ID --step S [--stderr | --egress [--json]] [--approach A]}: a step's full
 * output, or its egress log.
 */
@Command(
    name = "logs",
    description = {
      "a step's full output or egress log, from the blob store",
      "Prints the full stdout (--stderr: stderr) of step S of task ID from the blob store"
          + " (STEPBOX_BLOB_URL, which must be the workers' store), of the attempt that decided the"
          + " step. --egress prints its egress log instead, a line per request through the egress"
          + " proxy: time, decision, method, host:port, status, bytes out and in, the name of a"
          + " secret the proxy added, and why a request was denied; --json: the log as stored,"
          + " JSON lines."
    },
    footer = {
      "Exit codes: 0 printed, 1 no such task or step, the step has not run, or the output or log"
          + " is gone; 2 --egress with --stderr; 125 Temporal unreachable."
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  String id;

  @Option(names = "--step", paramLabel = "S", required = true, description = "the step")
  String step;

  @Option(names = "--stderr", description = "the step's stderr instead of its stdout")
  boolean stderr;

  @Mixin EgressLogOptions egress;

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
    egress.check(stderr);
    try (StepboxClient tasks = cli.connectClient()) {
      TaskHandle task = tasks.task(id);
      if (!egress.egress()) {
        OutputKind kind = stderr ? OutputKind.STDERR : OutputKind.STDOUT;
        cli.copyToOut(
            task.openOutput(step, approach, kind), "the output from " + cli.config().blobUrl());
      } else if (egress.json()) {
        cli.copyToOut(
            task.openEgressLog(step, approach), "the egress log from " + cli.config().blobUrl());
      } else {
        EgressText.print(cli, task.egress(step, approach), "step " + step);
      }
    }
    return TaskExit.OK;
  }
}
