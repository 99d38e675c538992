package io.stepbox.cli.task;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskSpecs;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code stepbox run TASK.yaml [--id ID] [--wait] [--json]}: starts a task, maybe follows it. */
public final class RunCommand {
  static final String HELP =
      """
      usage: stepbox run TASK.yaml [--id ID] [--wait] [--json]
        Starts the task (YAML, or JSON when the name ends in .json) on task queue stepbox and prints
        its id: --id, or <name>-<random>. A worker (stepbox worker) runs it.
        --wait   follow the task (on a terminal a live display of its steps, else a line per step
                 event), then print its final status
        --json   print {"id": ...}; with --wait only the final status object
      Exit codes: 0 started (with --wait: COMPLETED), 1 FAILED or REJECTED, 2 bad command line or
      invalid spec (every error is printed, one per line), 125 Temporal unreachable.""";

  private final Cli cli;

  public RunCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(HELP);
      return 0;
    }
    Args args = Args.parse("run", argv, Set.of("id"), Set.of("wait", "json"));
    Path file = Path.of(args.positional(0, "the task file (TASK.yaml)"));
    TaskSpec spec = TaskSpecs.read(file);
    boolean json = args.flag("json");
    try (StepboxClient tasks = cli.connectClient()) {
      String id = tasks.startTask(spec, args.get("id").orElse(null)).id();
      if (!args.flag("wait")) {
        if (json) {
          cli.printJson(Map.of("id", id));
        } else {
          cli.out().println(id);
          cli.err().println("started task " + id + "; follow it with: stepbox status " + id);
        }
        return TaskExit.OK;
      }
      if (!json) {
        cli.out().println(id);
      }
      cli.err().println("following task " + id + " (Ctrl-C stops following, not the task)");
      TaskTimeline timeline =
          TaskTimeline.of(!json && cli.terminal(), cli.out(), json ? null : cli.out(), cli.err());
      TaskStatus end = new TaskFollower(tasks, timeline, TaskFollower.HINT).follow(id);
      if (json) {
        cli.printJson(end);
      } else {
        cli.out().println();
        TaskStatusFormat.table(end).forEach(cli.out()::println);
      }
      return TaskExit.of(end.status());
    }
  }
}
