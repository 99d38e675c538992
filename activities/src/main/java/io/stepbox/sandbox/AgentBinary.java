package io.stepbox.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the agent lives: a host directory holding the static {@code stepbox-agent} that {@code
 * ./stepbox setup} builds. It is mounted read-only at {@link #MOUNT} in every sandbox and runs
 * there as PID 1, so nothing stepbox runs in a sandbox comes from its image.
 */
public record AgentBinary(Path directory) {
  /** Where the directory appears in a sandbox; snapshots leave it out like every mount. */
  public static final String MOUNT = "/.stepbox";

  public static final String NAME = "stepbox-agent";

  /** Setup's directory unless {@code STEPBOX_AGENT_DIR} names another. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/opt/stepbox/agent");

  /** The directory from {@code STEPBOX_AGENT_DIR}, else {@link #DEFAULT_DIRECTORY}. */
  public static AgentBinary fromEnvironment() {
    String dir = System.getenv("STEPBOX_AGENT_DIR");
    return new AgentBinary(dir == null || dir.isBlank() ? DEFAULT_DIRECTORY : Path.of(dir));
  }

  /** The agent's path inside a sandbox. */
  public String entrypoint() {
    return MOUNT + "/" + NAME;
  }

  /**
   * Throws {@code RUNTIME} unless the agent is there to mount.
   */
  void check() {
    Path bin = directory.resolve(NAME);
    if (!Files.isRegularFile(bin) || !Files.isExecutable(bin)) {
      throw new SandboxException(
          SandboxException.Reason.RUNTIME,
          "the sandbox agent "
              + bin
              + " is missing or not executable; run ./stepbox setup to build it (or set"
              + " STEPBOX_AGENT_DIR to the directory that holds it)");
    }
  }
}
