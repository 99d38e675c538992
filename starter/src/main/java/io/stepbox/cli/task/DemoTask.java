package io.stepbox.cli.task;

import io.stepbox.cli.HostCommand;
import io.stepbox.cli.UsageException;
import io.stepbox.specfile.TaskSpecReader;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo scenario's task: {@code demo/fix-calc.yaml}, with its repository input pointed at a
 * fresh bare repository made from {@code demo/sample-repo} under the data directory.
 */
public final class DemoTask {
  private DemoTask() {}

  /** The checkout's demo directory (the launcher passes -Dstepbox.home). */
  static Path demoDir() {
    Path demo = Path.of(System.getProperty("stepbox.home", ".")).resolve("demo").toAbsolutePath();
    if (!Files.isRegularFile(demo.resolve("fix-calc.yaml"))) {
      throw new UsageException(
          "demo files not found under " + demo + "; run ./stepbox demo from the stepbox checkout");
    }
    return demo;
  }

  public static TaskSpec spec(Path demoDir, Path dataDir) {
    TaskSpec spec = TaskSpecReader.read(demoDir.resolve("fix-calc.yaml"));
    Map<String, InputSpec> inputs = new LinkedHashMap<>(spec.inputs());
    InputSpec repo = inputs.get("repo");
    inputs.put(
        "repo",
        new InputSpec(bareRepo(demoDir.resolve("sample-repo"), dataDir).toString(), repo.mount()));
    return spec.withInputs(inputs);
  }

  /** Commits the sample project into a fresh bare repository under the data directory. */
  static Path bareRepo(Path source, Path dataDir) {
    try {
      Path base = Files.createDirectories(dataDir.resolve("demo"));
      Path work = Files.createTempDirectory(base, "work-");
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, work.resolve(f.getFileName()));
        }
      }
      Path bare = base.resolve("repo-" + work.getFileName() + ".git");
      git(work, "init", "-q");
      git(work, "add", ".");
      git(
          work,
          "-c",
          "user.name=stepbox demo",
          "-c",
          "user.email=demo@stepbox.invalid",
          "commit",
          "-q",
          "-m",
          "calc: add and average");
      git(base, "clone", "-q", "--bare", work.toString(), bare.toString());
      HostCommand.deleteTree(work);
      return bare;
    } catch (IOException e) {
      throw new UncheckedIOException("demo: cannot prepare the sample repository", e);
    }
  }


  private static void git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    HostCommand.run(dir, Map.of(), cmd);
  }
}
