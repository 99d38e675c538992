package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's resolved dependency tree (this test's class path: compile, runtime and test scope
 * together) holds none of the worker's parts, so an agent author who depends on stepbox-client
 * does not get Docker, a logging backend or an in-memory Temporal server.
 */
class ClientDependenciesTest {
  private static final List<String> FORBIDDEN =
      List.of("docker-java", "logback", "temporal-testing", "stepbox-activities", "zstd-jni");

  @Test
  void theClassPathHoldsNoWorkerDependency() {
    List<String> jars =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> Path.of(p).getFileName().toString())
            .toList();
    assertThat(jars).anyMatch(j -> j.startsWith("temporal-sdk"));
    for (String forbidden : FORBIDDEN) {
      assertThat(jars).as("jars named %s", forbidden).noneMatch(j -> j.startsWith(forbidden));
    }
  }

  @Test
  void theWorkerClassesAreNotLoadable() {
    for (String name :
        List.of(
            "com.github.dockerjava.api.DockerClient",
            "ch.qos.logback.classic.Logger",
            "io.temporal.testing.TestWorkflowEnvironment")) {
      assertThat(loadable(name)).as(name).isFalse();
    }
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, ClientDependenciesTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
