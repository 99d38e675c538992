package io.stepbox.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs a program on the host (git, tar, pip) for what a command prepares there. */
public final class HostCommand {
  /** Characters of a failed command's output quoted in the error. */
  public static final int TAIL_CHARS = 2000;

  private HostCommand() {}

  /**
   * Runs {@code command} in {@code dir} with {@code env} added to this process's environment and
   * returns its output (stdout and stderr together).
   *
   * @throws CommandException (exit 1) when it cannot start or exits non-zero, with its output tail
   */
  public static String run(Path dir, Map<String, String> env, List<String> command) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    String line = String.join(" ", command);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0) {
        throw new CommandException(
            1, line + " failed (exit " + code + "):\n" + tail(output, TAIL_CHARS), null);
      }
      return output;
    } catch (IOException e) {
      throw new CommandException(1, "cannot run " + line + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(1, "interrupted while running " + line, e);
    }
  }

  /** {@link #run(Path, Map, List)} with no added environment. */
  public static String run(Path dir, String... command) {
    return run(dir, Map.of(), List.of(command));
  }

  /** Removes a directory tree this process made; what cannot be removed stays (harmless). */
  public static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left under the data or temp directory; harmless.
    }
  }

  /** The last {@code max} characters of {@code text}, marked when cut. */
  public static String tail(String text, int max) {
    String t = text.strip();
    return t.length() <= max ? t : "..." + t.substring(t.length() - max);
  }
}
