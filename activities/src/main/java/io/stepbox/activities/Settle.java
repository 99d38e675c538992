package io.stepbox.activities;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;

/**
 * Brings a sandbox to rest after a step's command: the agent kills what the command left running
 * in the background (it would change files while the snapshot reads them, and keep running in a
 * warm sandbox where a restored one would not have it) and empties gVisor's in-memory /tmp and
 * /dev/shm, which no snapshot carries. So the next step sees the same whether it runs on the kept
 * sandbox or on a restore.
 */
final class Settle {
  private Settle() {}

  static void stopLeftovers(SandboxRuntime runtime, Sandbox sandbox) {
    try {
      runtime.settle(sandbox);
    } catch (RuntimeException e) {
      // A sandbox that stopped has nothing running; the snapshot reads its layer as it is.
    }
  }
}
