package io.stepbox.cli.task;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.UsageException;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskStatus;
import java.util.List;
import java.util.Set;

/** {@code stepbox approve|reject ID --step S [--reason R] [--by WHO] [--json]}: decides a gate. */
public final class DecideCommand {
  static final String HELP =
      """
      usage: stepbox approve ID --step S [--reason R] [--by WHO] [--json]
             stepbox reject  ID --step S [--reason R] [--by WHO] [--json]
        Decides the approval gate of step S, which must be waiting. The decision, who took it
        (--by, default: your user name) and why are recorded in the task's history.
        Prints the task's status once it has acted on the decision (--json: the status object).
      Exit codes: 0 decided, 1 refused (unknown step, not waiting, already decided) or no such
      running task, 125 Temporal unreachable.""";

  private final Cli cli;
  private final String decision;

  /**
   * @param decision {@link Decision#APPROVE} or {@link Decision#REJECT}
   */
  public DecideCommand(Cli cli, String decision) {
    this.cli = cli;
    this.decision = decision;
  }

  public int run(List<String> argv) {
    if (argv.contains("--help")) {
      cli.out().println(HELP);
      return 0;
    }
    String name = decision.equals(Decision.APPROVE) ? "approve" : "reject";
    Args args = Args.parse(name, argv, Set.of("step", "reason", "by"), Set.of("json"));
    String id = args.positional(0, "the task id");
    String step =
        args.get("step")
            .orElseThrow(
                () ->
                    new UsageException(
                        "name the gated step: stepbox " + name + " " + id + " --step S"));
    String by = args.get("by").orElseGet(DecideCommand::user);
    String reason = args.get("reason").orElse(null);
    TaskStatus status;
    try (StepboxClient tasks = cli.connectClient()) {
      TaskHandle task = tasks.task(id);
      status =
          decision.equals(Decision.APPROVE)
              ? task.approve(step, reason, by)
              : task.reject(step, reason, by);
    }
    if (args.flag("json")) {
      cli.printJson(status);
    } else {
      cli.err().println(
          (decision.equals(Decision.APPROVE) ? "approved" : "rejected")
              + " step "
              + step
              + " of task "
              + id
              + " (by "
              + by
              + ")");
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
