package io.stepbox.sandbox;

/** How a command ended. None of these is an error: they are results. */
public enum ExecOutcome {
  /** The command exited by itself; the exit code is its own. */
  EXITED,
  /** The command ran past its timeout; its process group and session were killed. */
  TIMED_OUT,
  /** The sandbox ran out of memory and the engine killed it; the sandbox is gone. */
  OOM_KILLED
}
