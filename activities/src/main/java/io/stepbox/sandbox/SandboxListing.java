package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.stepbox.sandbox.SandboxException.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the engine's containers: stepbox's sandboxes by label, and what the reaper needs. */
final class SandboxListing {
  private final DockerClient docker;
  private final EngineCalls calls;

  SandboxListing(DockerClient docker, EngineCalls calls) {
    this.docker = docker;
    this.calls = calls;
  }

  /** See {@link SandboxRuntime#find}. */
  Sandbox find(String idOrPrefix) {
    List<SandboxInfo> matches = list().stream().filter(s -> s.id().startsWith(idOrPrefix)).toList();
    if (idOrPrefix.isBlank() || matches.isEmpty()) {
      throw new SandboxException(
          Reason.NOT_FOUND,
          "sandbox '"
              + idOrPrefix
              + "' does not exist; "
              + "stepbox sandbox ls shows the sandboxes there are");
    }
    if (matches.size() > 1) {
      throw SandboxException.invalid(
          "sandbox '"
              + idOrPrefix
              + "' is ambiguous: it matches "
              + matches.size()
              + " sandboxes; give more of the id");
    }
    SandboxInfo info = matches.get(0);
    return new Sandbox(
        info.id(), info.image(), info.labels(), info.expiresAt().orElse(Instant.MAX));
  }

  /** See {@link SandboxRuntime#list}. */
  List<SandboxInfo> list() {
    return calls.timed(
        "list sandboxes",
        null,
        () ->
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true"))
                .exec()
                .stream()
                .map(SandboxListing::info)
                .toList());
  }

  /** When a stopped container stopped; empty when it is gone or the time cannot be read. */
  Optional<Instant> finishedAt(String id) {
    try {
      String finished = docker.inspectContainerCmd(id).exec().getState().getFinishedAt();
      return finished == null ? Optional.empty() : Optional.of(Instant.parse(finished));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether container {@code id} exists and runs; throws when the engine does not answer. */
  boolean running(String id) {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    }
  }

  /** Full ids of every container on the engine, stepbox's or not. */
  Set<String> allContainerIds() {
    return calls.timed(
        "list containers",
        null,
        () ->
            docker.listContainersCmd().withShowAll(true).exec().stream()
                .map(Container::getId)
                .collect(Collectors.toSet()));
  }

  /** Labels include the task and step a pooled sandbox's name took on (see SandboxNames). */
  private static SandboxInfo info(Container c) {
    Map<String, String> labels =
        new LinkedHashMap<>(c.getLabels() == null ? Map.of() : c.getLabels());
    String[] names = c.getNames();
    String name = names != null && names.length > 0 ? names[0] : null;
    SandboxNames.labels(name).forEach(labels::putIfAbsent);
    return new SandboxInfo(
        c.getId(),
        c.getImage(),
        c.getState() == null ? "unknown" : c.getState(),
        Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated()),
        labels,
        SandboxNames.isPooled(name));
  }
}
