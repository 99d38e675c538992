package io.stepbox.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --env} and {@code --workdir}: what a command starts with, in a sandbox ({@code sandbox
 * run|create|exec}) or a session ({@code session start|exec}).
 */
public final class ProcessOptions {
  @Option(names = "--env", paramLabel = "K=V", description = "set a variable (repeatable)")
  private List<String> env = new ArrayList<>();

  @Option(names = "--workdir", paramLabel = "D", description = "the working directory")
  private String workdir;

  /** The {@code --env K=V} values in their order; a usage error for one without {@code =}. */
  public Map<String, String> env() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--env: '" + kv + "' must be NAME=VALUE");
      }
      values.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return values;
  }

  /** {@code --workdir}, or null. */
  public String workdir() {
    return workdir;
  }
}
