package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.sandbox.SandboxException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Finds a container's overlay2 layers on the host, and an image's content id. */
final class DockerLayers {
  private final DockerClient docker;
  private Path root;

  DockerLayers(DockerClient docker) {
    this.docker = docker;
  }

  SandboxLayer layer(String containerId) {
    InspectContainerResponse c = inspect(containerId);
    var driver = c.getGraphDriver();
    if (driver == null || !"overlay2".equals(driver.getName())) {
      throw SandboxException.invalid(
          "snapshots read the sandbox's overlay2 layer, but dockerd's storage driver is '"
              + (driver == null ? "unknown" : driver.getName())
              + "'; run dockerd with \"storage-driver\": \"overlay2\"");
    }
    Path overlay = dockerRoot().resolve("overlay2");
    String mountId =
        read(dockerRoot().resolve("image/overlay2/layerdb/mounts/" + c.getId() + "/mount-id"));
    Path upper = readableUpper(overlay.resolve(mountId).resolve("diff"));
    List<Path> lowers = lowers(overlay, read(overlay.resolve(mountId).resolve("lower")));
    var state = c.getState();
    boolean running = state != null && Boolean.TRUE.equals(state.getRunning());
    Instant started = parse(state == null ? null : state.getStartedAt());
    return new SandboxLayer(upper, lowers, c.getImageId(), running, started, mounts(c));
  }

  private InspectContainerResponse inspect(String containerId) {
    try {
      return docker.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException e) {
      throw new SandboxException(
          Reason.NOT_FOUND, "sandbox " + shortId(containerId) + " does not exist", e);
    }
  }

  private static Path readableUpper(Path upper) {
    if (!Files.isDirectory(upper) || !Files.isReadable(upper)) {
      throw SandboxException.invalid(
          "snapshots read the sandbox's layer "
              + upper
              + " on the Docker host, which this process cannot read: run the stepbox worker as"
              + " root on the Docker host (in a container: mount Docker's data root, e.g."
              + " -v /var/lib/docker:/var/lib/docker)");
    }
    return upper;
  }

  /** The lower layers' directories from overlay2's {@code lower} file (links, ':'-separated). */
  private static List<Path> lowers(Path overlay, String lower) {
    return lower.isEmpty()
        ? List.of()
        : Arrays.stream(lower.split(":"))
            .map(l -> overlay.resolve(l).resolve("..").normalize())
            .toList();
  }

  /** Where the container's mounts are, inside it. */
  private static List<String> mounts(InspectContainerResponse c) {
    return c.getMounts() == null
        ? List.of()
        : c.getMounts().stream()
            .map(m -> m.getDestination() == null ? null : m.getDestination().getPath())
            .filter(java.util.Objects::nonNull)
            .toList();
  }

  String imageId(String image) {
    try {
      return docker.inspectImageCmd(image).exec().getId();
    } catch (NotFoundException e) {
      throw new SandboxException(
          Reason.IMAGE_NOT_FOUND,
          "image '" + image + "' is not in the local Docker engine; run ./stepbox setup",
          e);
    }
  }

  /** Docker's data root, e.g. /var/lib/docker (docker-java's model lacks overlay2's paths). */
  private synchronized Path dockerRoot() {
    if (root == null) {
      root = Path.of(docker.infoCmd().exec().getDockerRootDir());
    }
    return root;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw SandboxException.invalid(
          "snapshots read the sandbox's layer on the Docker host, but "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "): run the stepbox worker as root on the Docker host (in a container: mount"
              + " Docker's data root, e.g. -v /var/lib/docker:/var/lib/docker)");
    }
  }

  private static Instant parse(String time) {
    if (time == null || time.startsWith("0001-")) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
