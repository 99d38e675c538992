package io.stepbox.cli.task;

import io.stepbox.cli.Cli;
import io.stepbox.cli.WebUi;
import java.util.Optional;
import java.util.function.Consumer;

/** The link to a task's page in the Temporal Web UI, printed on stderr beside the task's id. */
final class TaskPage {
  private TaskPage() {}

  /** The page of task {@code id} in the configured Temporal's UI, if one answers. */
  static Optional<String> find(Cli cli, String id) {
    return WebUi.find(cli.config()).taskPage(cli.config().temporalNamespace(), id);
  }

  /** Prints a page's link on {@code cli}'s stderr. */
  static Consumer<String> print(Cli cli) {
    return url -> cli.err().println("task page (Temporal Web UI): " + url);
  }
}
