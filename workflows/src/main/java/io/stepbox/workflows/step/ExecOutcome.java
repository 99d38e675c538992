package io.stepbox.workflows.step;

/**
 * How a command ended, in a sandbox, a step or a session exec. None of these is an error: they are
 * results. Recorded as the constant's name.
 */
public enum ExecOutcome {
  /** The command exited by itself; the exit code is its own. */
  EXITED,
  /** The command ran past its timeout; its process group and session were killed. */
  TIMED_OUT,
  /** The sandbox ran out of memory and the engine killed it; the sandbox is gone. */
  OOM_KILLED
}
