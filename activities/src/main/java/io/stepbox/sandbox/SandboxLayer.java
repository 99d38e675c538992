package io.stepbox.sandbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where a sandbox's own filesystem changes live on the Docker host: the overlay2 upper directory
 * (files the sandbox added or changed, whiteouts for what it deleted) above the image's layers.
 * Reading it needs the stepbox process on the Docker host with access to Docker's data root.
 *
 * @param upperDir the sandbox's writable layer
 * @param lowerDirs the image's layers, top first
 * @param imageId the content id of the sandbox's image ({@code sha256:...})
 * @param running whether the sandbox is running (gVisor-only state such as fifos is reachable)
 * @param startedAt when the sandbox last started; {@link Instant#EPOCH} when it never did
 * @param mountTargets where host paths are mounted into the sandbox (not part of its layer)
 */
public record SandboxLayer(
    Path upperDir,
    List<Path> lowerDirs,
    String imageId,
    boolean running,
    Instant startedAt,
    List<String> mountTargets) {
  public SandboxLayer {
    lowerDirs = List.copyOf(lowerDirs);
    mountTargets = List.copyOf(mountTargets);
  }
}
