package io.stepbox.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command to run in a sandbox. Build with {@link #newBuilder(List)}. The command is an argv
 * list (use {@code sh -c} for shell syntax). {@code stdin}, when set, is fed to the command and
 * then closed. {@code outputLimit} bounds the bytes of each stream kept in the result: the last
 * bytes are kept and the result says when more was printed.
 */
public record ExecRequest(
    List<String> command,
    Map<String, String> env,
    String workdir,
    Duration timeout,
    byte[] stdin,
    int outputLimit) {

  /** Default timeout of a command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** Default bytes of each stream kept in the result. */
  public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;

  public ExecRequest {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw SandboxException.invalid("command: must not be empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw SandboxException.invalid("timeout: " + timeout + " must be positive, like 30s");
    }
    if (outputLimit < 0) {
      throw SandboxException.invalid("outputLimit: " + outputLimit + " must not be negative");
    }
    if (workdir != null && !workdir.startsWith("/")) {
      throw SandboxException.invalid("workdir: '" + workdir + "' must be an absolute path");
    }
  }

  public static Builder newBuilder(List<String> command) {
    return new Builder(command);
  }

  /** Shorthand for a shell command line run with {@code /bin/sh -c}. */
  public static ExecRequest shell(String line) {
    return newBuilder(List.of("/bin/sh", "-c", line)).build();
  }

  /** Fluent builder with the defaults above. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workdir;
    private Duration timeout = DEFAULT_TIMEOUT;
    private byte[] stdin;
    private int outputLimit = DEFAULT_OUTPUT_LIMIT;

    private Builder(List<String> command) {
      this.command = command;
    }

    public Builder putEnv(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder setWorkdir(String workdir) {
      this.workdir = workdir;
      return this;
    }

    public Builder setTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder setStdin(byte[] stdin) {
      this.stdin = stdin;
      return this;
    }

    public Builder setOutputLimit(int outputLimit) {
      this.outputLimit = outputLimit;
      return this;
    }

    public ExecRequest build() {
      return new ExecRequest(command, env, workdir, timeout, stdin, outputLimit);
    }
  }
}
