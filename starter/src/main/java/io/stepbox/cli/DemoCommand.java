package io.stepbox.cli;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.ExecResult;
import io.stepbox.sandbox.Mount;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code stepbox demo [--json]}: the sandbox scenario until durable tasks land. The bundled sample
 * project is served from a local bare git repository, mounted read-only into a gVisor sandbox with
 * no network; inside it the project is cloned, its tests fail, a fix is applied and the tests pass.
 * Prints a timeline of the steps.
 */
final class DemoCommand {
  private static final String IMAGE = "stepbox/python:bookworm";

  /** One line of the timeline. */
  record Step(String id, String command, int exitCode, long millis) {}

  private final Cli cli;

  DemoCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    Args args = Args.parse("demo", argv, Set.of(), Set.of("json"));
    Path demo = Path.of(System.getProperty("stepbox.home", ".")).resolve("demo");
    if (!Files.isDirectory(demo.resolve("sample-repo"))) {
      throw new UsageException(
          "demo files not found under "
              + demo
              + "; run ./stepbox demo from "
              + "the stepbox checkout");
    }
    Path repo = bareRepo(demo.resolve("sample-repo"));
    Sandbox sandbox =
        cli.runtime()
            .create(
                SandboxSpec.newBuilder(IMAGE)
                    .setTaskId("demo")
                    .setWorkdir("/workspace")
                    .setLifetime(Duration.ofMinutes(15))
                    .addMount(new Mount(repo, "/src/repo.git"))
                    .build());
    List<Step> steps = new ArrayList<>();
    try {
      cli.runtime()
          .copyIn(sandbox, "/workspace", tarOf("fix.patch", read(demo.resolve("fix.patch"))));
      step(sandbox, steps, "clone", "git clone -q /src/repo.git /workspace/repo");
      step(
          sandbox, steps, "test", "cd /workspace/repo && python3 -m pytest -q -p no:cacheprovider");
      step(
          sandbox,
          steps,
          "fix",
          "cd /workspace/repo && git apply /workspace/fix.patch && git diff --stat");
      step(
          sandbox,
          steps,
          "retest",
          "cd /workspace/repo && python3 -m pytest -q -p no:cacheprovider");
    } finally {
      cli.runtime().destroy(sandbox);
    }
    boolean passed =
        steps.size() == 4
            && steps.get(0).exitCode() == 0
            && steps.get(1).exitCode() != 0
            && steps.get(2).exitCode() == 0
            && steps.get(3).exitCode() == 0;
    if (args.flag("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", passed ? "COMPLETED" : "FAILED");
      m.put("steps", steps);
      cli.printJson(m);
    } else {
      cli.out.println();
      cli.out.printf(Locale.ROOT, "%-8s %6s %9s  %s%n", "STEP", "EXIT", "DURATION", "COMMAND");
      for (Step s : steps) {
        cli.out.printf(
            Locale.ROOT, "%-8s %6d %7dms  %s%n", s.id(), s.exitCode(), s.millis(), s.command());
      }
      cli.out.println(
          passed
              ? "demo passed: the tests failed, the fix was applied, the tests pass"
              : "demo FAILED: see the output above");
    }
    return passed ? 0 : 1;
  }

  private void step(Sandbox sandbox, List<Step> steps, String id, String command) {
    if (!steps.isEmpty()
        && steps.get(steps.size() - 1).exitCode() != 0
        && !steps.get(steps.size() - 1).id().equals("test")) {
      return;
    }
    cli.err.println("==> " + id + ": " + command);
    ExecResult r =
        cli.runtime()
            .exec(
                sandbox,
                ExecRequest.newBuilder(List.of("sh", "-c", command))
                    .setTimeout(Duration.ofMinutes(5))
                    .build(),
                (stream, data, off, len) -> cli.err.write(data, off, len));
    steps.add(new Step(id, command, r.exitCode(), r.duration().toMillis()));
  }

  /** Commits the sample project into a fresh bare repository under the data directory. */
  private Path bareRepo(Path source) {
    try {
      Path base = Files.createDirectories(cli.config.dataDir().resolve("demo"));
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
      return bare;
    } catch (IOException e) {
      throw new UncheckedIOException("demo: cannot prepare the sample repository", e);
    }
  }

  private static void git(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ByteArrayInputStream tarOf(String name, byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(body.length);
      e.setMode(0644);
      tar.putArchiveEntry(e);
      tar.write(body);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }
}
