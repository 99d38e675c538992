package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskSpecs;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.TaskStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepbox run TASK.yaml [--id ID] [--wait] [--json]}: starts a task, maybe follows it. */
@Command(
    name = "run",
    description = {
      "start a durable task (a worker runs it)",
      "Starts the task (YAML, or JSON when the name ends in .json) on task queue stepbox and prints"
          + " its id: --id, or <name>-<random>. A worker (stepbox worker) runs it."
    },
    footer = {
      "Exit codes: 0 started (with --wait: COMPLETED), 1 FAILED or REJECTED, 2 invalid spec or bad"
          + " command line (every error is printed, one per line), 125 Temporal unreachable."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TASK.yaml", description = "the task file (TASK.yaml)")
  Path file;

  @Option(names = "--id", paramLabel = "ID", description = "the task's id")
  String id;

  @Option(
      names = "--wait",
      description =
          "follow the task (on a terminal a live display of its steps, else a line per step"
              + " event), then print its final status")
  boolean waitForEnd;

  @Option(names = "--json", description = "print {\"id\": ...}; with --wait only the final status")
  boolean json;

  private final Cli cli;

  RunCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    TaskSpec spec = TaskSpecs.read(file);
    try (StepboxClient tasks = cli.connectClient()) {
      String started = tasks.startTask(spec, id).id();
      return waitForEnd ? follow(tasks, started) : report(started);
    }
  }

  private int report(String started) {
    if (json) {
      cli.printJson(Map.of("id", started));
    } else {
      cli.out().println(started);
      cli.err().println("started task " + started + "; follow it with: stepbox status " + started);
      TaskPage.find(cli, started).ifPresent(TaskPage.print(cli));
    }
    return TaskExit.OK;
  }

  private int follow(StepboxClient tasks, String started) {
    if (!json) {
      cli.out().println(started);
    }
    cli.err().println("following task " + started + " (Ctrl-C stops following, not the task)");
    TaskPage.find(cli, started).ifPresent(TaskPage.print(cli));
    TaskTimeline timeline =
        TaskTimeline.of(!json && cli.terminal(), cli.out(), json ? null : cli.out(), cli.err());
    TaskStatus end = new TaskFollower(tasks, timeline, TaskFollower.HINT).follow(started);
    if (json) {
      cli.printJson(end);
    } else {
      cli.out().println();
      TaskStatusFormat.table(end).forEach(cli.out()::println);
    }
    return TaskExit.of(end.status());
  }
}
