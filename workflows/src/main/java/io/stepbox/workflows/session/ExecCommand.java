package io.stepbox.workflows.session;

/**
 * The argument of {@link SessionWorkflow#exec}.
 *
 * @param command run with {@code sh -c} from the session's current snapshot
 * @param options per-exec settings; null for none
 */
public record ExecCommand(String command, ExecOptions options) {

  /** No options reads as {@link ExecOptions#NONE}. */
  public ExecCommand {
    options = options == null ? ExecOptions.NONE : options;
  }

  /** A command with no options. */
  public static ExecCommand of(String command) {
    return new ExecCommand(command, null);
  }
}
