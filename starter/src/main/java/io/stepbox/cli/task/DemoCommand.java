package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.HostCommand;
import io.stepbox.cli.UsageException;
import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepbox demo [--json] [--interactive]}: the fix-calc task (clone, install, test fails, a
 * second approach with a fix passes, approval, publish, the patch exported) as a durable task on a
 * local stack: the Temporal dev server (unless TEMPORAL_ADDRESS is set), the configured blob store
 * and a worker in this process. Approves itself unless {@code --interactive}.
 */
public @Command(
    name = "demo",
    description = {
      "a durable task on a local stack: clone, install, test fails, a fix passes, approval,"
          + " publish",
      "Starts Temporal itself (in memory, with a warning, when the temporal CLI is missing).",
      "Approves its own gate unless --interactive."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the final status object")
  boolean json;

  @Option(
      names = "--interactive",
      description = "wait for stepbox approve from another terminal instead of approving itself")
  boolean interactive;

  private final Cli cli;

  DemoCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    TaskSpec spec = DemoTask.spec(DemoTask.demoDir(), cli.config().dataDir());
    try (LocalStack stack = LocalStack.start(cli, !cli.config().temporalAddressSet())) {
      if (interactive && stack.inMemory()) {
        throw new UsageException(
            "--interactive waits for `stepbox approve` from another terminal, which cannot reach"
                + " the in-memory server: install the temporal CLI (./stepbox setup) or set"
                + " TEMPORAL_ADDRESS");
      }
      String id = spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
      // Not closed: the stack owns the connection.
      StepboxClient tasks = StepboxClient.newInstance(stack.temporal.client());
      tasks.startTask(spec, id);
      cli.err().println("task " + id + " started: " + spec.steps().size() + " steps");
      stack.ui.taskPage(cli.config().temporalNamespace(), id).ifPresent(TaskPage.print(cli));
      TaskStatus status = follow(tasks, id, interactive, json);
      if (json) {
        cli.printJson(status);
      } else {
        timeline(status);
      }
      return status.status() == TaskState.COMPLETED ? 0 : 1;
    } finally {
      HostCommand.deleteTree(java.nio.file.Path.of(spec.inputs().get("repo").path()));
    }
  }

  /**
   * Follows the task on a live display (a terminal, without --json) or a line per step event on
   * stderr; approves a waiting gate itself unless {@code interactive}.
   */
  private TaskStatus follow(StepboxClient tasks, String id, boolean interactive, boolean json) {
    TaskTimeline view = TaskTimeline.of(!json && cli.terminal(), cli.out(), cli.err(), cli.err());
    TaskFollower.Gate gate =
        interactive
            ? TaskFollower.HINT
            : now -> {
              String step = now.currentStep();
              tasks.task(now.id()).approve(step, "approved by ./stepbox demo", "stepbox-demo");
              return "approved step "
                  + step
                  + " (the demo approves itself; --interactive waits for you)";
            };
    return new TaskFollower(tasks, view, gate).follow(id);
  }

  private void timeline(TaskStatus s) {
    cli.out().printf(
        Locale.ROOT,
        "%-8s %-10s %5s %9s %10s %10s%n",
        "STEP",
        "APPROACH",
        "EXIT",
        "DURATION",
        "SNAPSHOT",
        "UPLOADED");
    for (StepStatus step : s.steps()) {
      for (AttemptStatus a : step.attempts()) {
        cli.out().printf(
            Locale.ROOT,
            "%-8s %-10s %5s %7dms %10s %10s%n",
            step.id(),
            a.approach(),
            a.exitCode() == null ? "-" : a.exitCode(),
            a.durationMillis(),
            Units.formatBytes(a.snapshotBytes()),
            Units.formatBytes(a.uploadedBytes()));
      }
    }
    cli.out().println(
        "task " + s.id() + ": " + s.status() + (s.error() == null ? "" : " (" + s.error() + ")"));
    if (s.exportsRef() != null) {
      cli.out().println("exported: " + s.exportsRef() + " in " + cli.config().blobUrl());
    }
  }
}
