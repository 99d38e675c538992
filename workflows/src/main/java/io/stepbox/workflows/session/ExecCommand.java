package io.stepbox.workflows.session;

import java.util.List;

/**
 * The argument of {@link SessionWorkflow#exec}.
 *
 * @param command run with {@code sh -c} (the image's shell) from the session's current snapshot;
 *     null with {@code argv}
 * @param options per-exec settings; null for none
 * @param argv the command as a program and its arguments, run without a shell; null runs {@code
 *     command}
 */
public record ExecCommand(String command, ExecOptions options, List<String> argv) {

  /** No options reads as {@link ExecOptions#NONE}; an empty argv as none. */
  public ExecCommand {
    options = options == null ? ExecOptions.NONE : options;
    argv = argv == null || argv.isEmpty() ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(argv));
  }

  /** A shell line with options. */
  public ExecCommand(String command, ExecOptions options) {
    this(command, options, null);
  }

  /** A program and its arguments, run without a shell. */
  public static ExecCommand argv(List<String> argv, ExecOptions options) {
    return new ExecCommand(null, options, argv);
  }

  /** A command with no options. */
  public static ExecCommand of(String command) {
    return new ExecCommand(command, null);
  }
}
