package io.stepbox.sandbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Child-JVM main for the crash test: creates two sandboxes as worker {@code args[0]}, prints their
 * ids and "ready", then waits to be killed.
 */
public final class OrphanMaker {
  public static void main(String[] args) throws InterruptedException {
    DockerSandboxRuntime rt =
        DockerSandboxRuntime.connect(
            SandboxFixture.DOCKER_HOST, args[0], new SimpleMeterRegistry());
    for (int i = 0; i < 2; i++) {
      System.out.println(
          "created "
              + rt.create(
                      SandboxSpec.newBuilder(SandboxFixture.BUSYBOX)
                          .setTaskId("orphan-task")
                          .build())
                  .id());
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
