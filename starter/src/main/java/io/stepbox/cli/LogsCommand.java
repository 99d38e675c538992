package io.stepbox.cli;

import io.stepbox.client.OutputKind;
import io.stepbox.client.StepboxClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

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
    OutputKind kind = args.flag("stderr") ? OutputKind.STDERR : OutputKind.STDOUT;
    try (StepboxClient tasks = cli.connectClient()) {
      print(cli, tasks.task(id).openOutput(stepId, args.get("approach").orElse(null), kind));
    }
    return TaskExit.OK;
  }

  /** Copies a full output to stdout and closes it. */
  static void print(Cli cli, InputStream output) {
    try (InputStream in = output) {
      in.transferTo(cli.out);
      cli.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output from " + cli.config.blobUrl(), e);
    }
  }
}
