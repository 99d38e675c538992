package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import io.stepbox.workflows.task.TaskStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepbox approve|reject ID --step S [--reason R] [--by WHO] [--json]}: decides a gate. */
abstract class DecideCommand implements Callable<Integer> {
  private static final String FOOTER =
      "Exit codes: 0 decided, 1 refused (unknown step, not waiting, already decided) or no such"
          + " running task, 125 Temporal unreachable.";
  private static final String DETAIL =
      "Decides the approval gate of step S, which must be waiting; or, when the egress proxy"
          + " denied the step's requests (network.onDenied: approve), whether the denied hosts are"
          + " added to its allow list and it reruns. The decision, who took it (--by, default:"
          + " your user name) and why are recorded in the task's history. Prints the task's"
          + " status once it has acted on the decision (--json: the status object).";

  @Parameters(paramLabel = "ID", description = "the task id")
  String id;

  @Option(names = "--step", paramLabel = "S", required = true, description = "the gated step")
  String step;

  @Option(names = "--reason", paramLabel = "R", description = "why, for the task's history")
  String reason;

  @Option(names = "--by", paramLabel = "WHO", description = "who decides (default: your user)")
  String by;

  @Option(names = "--json", description = "print the task's status object")
  boolean json;

  private final Cli cli;

  DecideCommand(Cli cli) {
    this.cli = cli;
  }

  /** {@code stepbox approve}. */
  @Command(
      name = "approve",
      description = {"let a gated step run", DETAIL},
      footer = FOOTER)
  static final class Approve extends DecideCommand {
    Approve(Cli cli) {
      super(cli);
    }

    @Override
    TaskStatus decide(TaskHandle task, String who) {
      return task.approve(step, reason, who);
    }

    @Override
    String done() {
      return "approved";
    }
  }

  /** {@code stepbox reject}. */
  @Command(
      name = "reject",
      description = {"reject a gated step: the task ends REJECTED", DETAIL},
      footer = FOOTER)
  static final class Reject extends DecideCommand {
    Reject(Cli cli) {
      super(cli);
    }

    @Override
    TaskStatus decide(TaskHandle task, String who) {
      return task.reject(step, reason, who);
    }

    @Override
    String done() {
      return "rejected";
    }
  }

  abstract TaskStatus decide(TaskHandle task, String who);

  /** The decision in the past tense, for the note on stderr. */
  abstract String done();

  @Override
  public Integer call() {
    String who = by != null ? by : user();
    TaskStatus status;
    try (StepboxClient tasks = cli.connectClient()) {
      status = decide(tasks.task(id), who);
    }
    if (json) {
      cli.printJson(status);
    } else {
      cli.err().println(done() + " step " + step + " of task " + id + " (by " + who + ")");
      cli.out().println(TaskStatusFormat.heading(status));
    }
    return TaskExit.OK;
  }

  /** Who decides when --by is not given: the user running the command, or {@code cli}. */
  static String user() {
    String user = System.getProperty("user.name");
    return user == null || user.isBlank() ? "cli" : user;
  }
}
