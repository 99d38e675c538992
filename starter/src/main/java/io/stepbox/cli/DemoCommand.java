package io.stepbox.cli;

import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code stepbox demo [--json] [--interactive]}: the fix-calc task (clone, install, test fails, a
 * second approach with a fix passes, approval, publish, the patch exported) as a durable task on a
 * local stack: the Temporal dev server (unless TEMPORAL_ADDRESS is set), the configured blob store
 * and a worker in this process. Approves itself unless {@code --interactive}.
 */
final class DemoCommand {
  private static final Duration POLL = Duration.ofMillis(500);
  private final Cli cli;

  DemoCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    Args args = Args.parse("demo", argv, Set.of(), Set.of("json", "interactive"));
    TaskSpec spec = DemoTask.spec(DemoTask.demoDir(), cli.config.dataDir());
    try (LocalStack stack = LocalStack.start(cli, !cli.config.temporalAddressSet())) {
      if (args.flag("interactive") && stack.inMemory()) {
        throw new UsageException(
            "--interactive waits for `stepbox approve` from another terminal, which cannot reach"
                + " the in-memory server: install the temporal CLI (./stepbox setup) or set"
                + " TEMPORAL_ADDRESS");
      }
      WorkflowClient client = stack.temporal.client();
      String id = spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
      StepboxClient.newInstance(client).startTask(spec, id); // the stack owns the connection
      cli.err.println("task " + id + " started: " + spec.steps().size() + " steps");
      TaskStatus status = follow(client, id, args.flag("interactive"));
      if (args.flag("json")) {
        cli.printJson(status);
      } else {
        timeline(status);
      }
      return status.status() == TaskState.COMPLETED ? 0 : 1;
    } finally {
      DemoTask.deleteTree(java.nio.file.Path.of(spec.inputs().get("repo").path()));
    }
  }

  private TaskStatus follow(WorkflowClient client, String id, boolean interactive) {
    AgentTaskWorkflow task = client.newWorkflowStub(AgentTaskWorkflow.class, id);
    Set<String> seen = new HashSet<>();
    while (true) {
      TaskStatus s = task.status();
      for (StepStatus step : s.steps()) {
        for (AttemptStatus a : step.attempts()) {
          if (seen.add(step.id() + "/" + a.approach() + "/" + a.snapshot())) {
            cli.err.printf(
                Locale.ROOT,
                "  %-8s %-10s exit %-4s %6d ms%n",
                step.id(),
                a.approach(),
                a.exitCode(),
                a.durationMillis());
          }
        }
        if (step.status().name().equals("WAITING_APPROVAL") && seen.add("gate/" + step.id())) {
          if (interactive) {
            cli.err.println(
                "waiting for approval of step "
                    + step.id()
                    + ": stepbox approve "
                    + id
                    + " --step "
                    + step.id());
          } else {
            cli.err.println(
                "approving step "
                    + step.id()
                    + " (the demo approves itself; --interactive waits for you)");
            task.decide(Decision.approve(step.id(), "stepbox-demo", "approved by ./stepbox demo"));
          }
        }
      }
      if (s.ended()) {
        return s;
      }
      try {
        Thread.sleep(POLL.toMillis()); // polling the status query; the task runs elsewhere
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return s;
      }
    }
  }

  private void timeline(TaskStatus s) {
    cli.out.printf(
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
        cli.out.printf(
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
    cli.out.println(
        "task " + s.id() + ": " + s.status() + (s.error() == null ? "" : " (" + s.error() + ")"));
    if (s.exportsRef() != null) {
      cli.out.println("exported: " + s.exportsRef() + " in " + cli.config.blobUrl());
    }
  }
}
