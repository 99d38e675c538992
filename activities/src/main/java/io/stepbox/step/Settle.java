package io.stepbox.step;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import java.time.Duration;
import java.util.List;

/**
 * Brings a sandbox to rest after a step's command: kills what the command left running in the
 * background (it would change files while the snapshot reads them, and keep running in a warm
 * sandbox where a restored one would not have it) and empties gVisor's in-memory /tmp and /dev/shm,
 * which no snapshot carries. So the next step sees the same whether it runs on the kept sandbox or
 * on a restore. The sandbox's keeper process (PID 1 and its sleep) is spared.
 */
final class Settle {
  private static final String SCRIPT =
      "for d in /proc/[0-9]*; do\n"
          + "  p=${d#/proc/}\n"
          + "  [ \"$p\" = 1 ] || [ \"$p\" = $$ ] || [ \"$p\" = $PPID ] || {\n"
          + "    read -r pid comm state ppid rest < \"$d/stat\" 2>/dev/null || continue\n"
          + "    [ \"$ppid\" = 1 ] && [ \"$comm\" = \"(sleep)\" ] && continue\n"
          + "    kill -KILL \"$p\" 2>/dev/null\n"
          + "  }\n"
          + "done\n"
          + "rm -rf /tmp/* /tmp/.[!.]* /tmp/..?* 2>/dev/null\n"
          + "find /dev/shm -mindepth 1 -maxdepth 1 ! -name '.stepbox-exec-*' -exec rm -rf {} + 2>/dev/null\n"
          + "true\n";

  private Settle() {}

  static void stopLeftovers(SandboxRuntime runtime, Sandbox sandbox) {
    try {
      runtime.exec(
          sandbox,
          ExecRequest.newBuilder(List.of("/bin/sh", "-c", SCRIPT))
              .setTimeout(Duration.ofSeconds(30))
              .build());
    } catch (RuntimeException e) {
      // A sandbox that stopped has nothing running; the snapshot reads its layer as it is.
    }
  }
}
