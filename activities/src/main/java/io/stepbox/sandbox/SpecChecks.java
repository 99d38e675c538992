package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The checks of a spec that need the engine or the host: mounts, networks, archive paths. */
final class SpecChecks {
  private final DockerClient docker;
  private final DockerErrors errors;
  private final String dockerHost;

  SpecChecks(DockerClient docker, DockerErrors errors, String dockerHost) {
    this.docker = docker;
    this.errors = errors;
    this.dockerHost = dockerHost;
  }

  /** Docker sockets that a mount must never expose, wherever DOCKER_HOST points. */
  private static final List<Path> DEFAULT_SOCKETS =
      List.of(Path.of("/var/run/docker.sock"), Path.of("/run/docker.sock"));

  /** Resolves every mount's source to its real path (what is bound) and refuses socket leaks. */
  SandboxSpec mounts(SandboxSpec spec) {
    if (spec.mounts().isEmpty()) {
      return spec;
    }
    List<Path> sockets = new java.util.ArrayList<>(DEFAULT_SOCKETS);
    if (dockerHost.startsWith("unix://")) {
      sockets.add(Path.of(dockerHost.substring(7)));
    }
    SandboxSpec.Builder resolved = spec.toBuilder().clearMounts();
    for (Mount m : spec.mounts()) {
      String target = m.containerPath().replaceAll("/+$", "");
      if (target.equals(AgentBinary.MOUNT) || target.startsWith(AgentBinary.MOUNT + "/")) {
        throw SandboxException.invalid(
            "mounts: '" + m.containerPath() + "' is where stepbox's agent lives; mount elsewhere");
      }
      Path source;
      try {
        source = m.hostPath().toRealPath();
      } catch (IOException e) {
        throw SandboxException.invalid("mounts: host path '" + m.hostPath() + "' does not exist");
      }
      for (Path socket : sockets) {
        if (realOrSelf(socket).startsWith(source)) {
          throw SandboxException.invalid(
              "mounts: '"
                  + m.hostPath()
                  + "' would expose the Docker "
                  + "socket "
                  + socket
                  + " to the sandbox; mount a narrower path");
        }
      }
      resolved.addMount(new Mount(source, m.containerPath()));
    }
    return resolved.build();
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath();
    }
  }

  void network(NetworkPolicy policy) {
    if (!(policy instanceof NetworkPolicy.Internal internal)) {
      return;
    }
    Boolean isInternal;
    try {
      isInternal = docker.inspectNetworkCmd().withNetworkId(internal.name()).exec().getInternal();
    } catch (NotFoundException e) {
      throw SandboxException.invalid(
          "network: '"
              + internal.name()
              + "' does not exist; create "
              + "it with: docker network create --internal "
              + internal.name());
    } catch (RuntimeException e) {
      throw errors.translate("inspect network " + internal.name(), e);
    }
    if (!Boolean.TRUE.equals(isInternal)) {
      throw SandboxException.invalid(
          "network: '"
              + internal.name()
              + "' is not internal and "
              + "would route outside this host; sandboxes join only networks made with "
              + "docker network create --internal");
    }
  }

  /**
   * gVisor keeps /tmp as a tmpfs inside its own kernel: the archive API would write beside it,
   * unseen, and read an empty directory. Refuse instead of losing the files.
   */
  static void archivePath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw SandboxException.invalid("path: '" + path + "' must be absolute, like /workspace");
    }
    String p = path.replaceAll("/+$", "");
    if (p.equals("/tmp") || p.startsWith("/tmp/")) {
      throw SandboxException.invalid(
          "path: "
              + path
              + " is under /tmp, which gVisor keeps in "
              + "memory where the archive API cannot reach it (and snapshots do not include it); "
              + "use another directory, such as /workspace");
    }
  }
}
