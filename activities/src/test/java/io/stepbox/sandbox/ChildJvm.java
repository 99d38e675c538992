package io.stepbox.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test classpath in a JVM of its own. */
final class ChildJvm {
  private ChildJvm() {}

  static ProcessBuilder of(String maxHeap, Class<?> main, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  static Process start(String maxHeap, Class<?> main, String... args) throws IOException {
    return of(maxHeap, main, args).start();
  }
}
