package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the runner tells, from the host, that a sandbox's process has ended. */
class ExecRunnerTest {
  @Test
  void aRunningProcessHasNotEnded() {
    assertThat(ExecRunner.processEnded(ProcessHandle.current().pid())).isFalse();
  }

  @Test
  void aReapedProcessHasEnded() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ExecRunner.processEnded(p.pid())).isTrue();
  }

  @Test
  void aZombieHasEndedThoughItsProcEntryRemains() throws Exception {
    // sh starts a child that waits until sh has become `sleep` (which never reaps it), prints the
    // child's pid and becomes `sleep`: the child then exits and stays a zombie until the sleep
    // ends. (A child that exits before the exec may be reaped by sh itself.)
    Process parent =
        new ProcessBuilder(
                "sh",
                "-c",
                "p=$$; (while [ \"$(cat /proc/$p/comm)\" != sleep ]; do :; done) & echo $!;"
                    + " exec sleep 30")
            .redirectErrorStream(true)
            .start();
    try {
      long zombie;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII))) {
        zombie = Long.parseLong(out.readLine().trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ExecRunner.processEnded(zombie) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      assertThat(ExecRunner.processEnded(zombie)).isTrue();
      assertThat(Files.exists(Path.of("/proc/" + zombie))).isTrue();
    } finally {
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
