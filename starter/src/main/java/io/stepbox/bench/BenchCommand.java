package io.stepbox.bench;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stepbox bench egress|sandbox|snapshot|step|workload}: stepbox against doing it by hand. */
@Command(
    name = "bench",
    description = "benchmarks: each against a baseline doing the same work in the same run",
    subcommands = {
      BenchEgressCommand.class,
      BenchSandboxCommand.class,
      BenchSnapshotCommand.class,
      BenchStepCommand.class,
      BenchWorkloadCommand.class
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Cli cli;

  BenchCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }
}
