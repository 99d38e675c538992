package io.stepbox.sandbox;

import java.nio.file.Path;

/**
 * A host path shown inside the sandbox. Always read-only: stepbox never gives a sandbox a writable
 * host path. The runtime refuses sources that do not exist or that expose the Docker socket.
 */
public record Mount(Path hostPath, String containerPath) {
  public Mount {
    if (hostPath == null) {
      throw SandboxException.invalid("mounts: host path must be set");
    }
    if (containerPath == null || !containerPath.startsWith("/")) {
      throw SandboxException.invalid(
          "mounts: container path '" + containerPath + "' must be absolute, like /src/repo.git");
    }
  }

  /** Reads {@code HOST:CONTAINER}, as the CLI's {@code --mount} takes it. */
  public static Mount parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw SandboxException.invalid(
          "--mount: '" + text + "' must be HOST_PATH:CONTAINER_PATH (mounted read-only)");
    }
    return new Mount(Path.of(text.substring(0, colon)), text.substring(colon + 1));
  }
}
