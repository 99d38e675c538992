package io.stepbox.sandbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Child-JVM main for the bounded-memory test: runs a command that prints 1 GiB and reports what the
 * result held. Started with a small heap: buffering the output would kill it.
 */
public final class OutputProbe {
  public static void main(String[] args) {
    try (DockerSandboxRuntime rt =
        DockerSandboxRuntime.connect(
            SandboxFixture.DOCKER_HOST, args[0], new SimpleMeterRegistry())) {
      Sandbox s = rt.create(SandboxSpec.newBuilder(SandboxFixture.BUSYBOX).build());
      try {
        long[] streamed = new long[1];
        CommandResult r =
            rt.exec(
                s,
                ExecRequest.newBuilder(
                        List.of("sh", "-c", "head -c 1073741824 /dev/zero; echo end-marker"))
                    .setOutputLimit(1 << 20)
                    .setTimeout(Duration.ofMinutes(5))
                    .build(),
                (stream, data, off, len) -> streamed[0] += len);
        Runtime heap = Runtime.getRuntime();
        System.out.println(
            "outcome="
                + r.outcome()
                + " exit="
                + r.exitCode()
                + " stdoutBytes="
                + r.stdoutBytes()
                + " streamed="
                + streamed[0]
                + " tail="
                + r.stdoutTail().length
                + " truncated="
                + r.truncated()
                + " endsWithMarker="
                + r.stdout().endsWith("end-marker\n")
                + " maxHeap="
                + heap.maxMemory());
      } finally {
        rt.destroy(s);
      }
    }
  }
}
