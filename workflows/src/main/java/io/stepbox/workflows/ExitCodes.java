package io.stepbox.workflows;

/**
 * The exit codes stepbox gives a command that it stopped, as the shell's {@code timeout} and a
 * SIGKILL would: the CLI exits with them and the client reports them.
 */
public final class ExitCodes {
  /** The command ran past its timeout and was killed, as {@code timeout(1)} reports it. */
  public static final int TIMED_OUT = 124;

  /** The sandbox ran out of memory and the kernel killed the command: 128 + SIGKILL. */
  public static final int OOM_KILLED = 137;

  private ExitCodes() {}
}
