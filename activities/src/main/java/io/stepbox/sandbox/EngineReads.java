package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.sandbox.SandboxException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the engine says about itself: version, runtimes, storage and images. Untimed, untranslated. */
final class EngineReads {
  private final DockerClient docker;
  private final String dockerHost;

  EngineReads(DockerClient docker, String dockerHost) {
    this.docker = docker;
    this.dockerHost = dockerHost;
  }

  EngineInfo info() {
    var info = docker.infoCmd().exec();
    Map<String, String> runtimes = new TreeMap<>();
    if (info.getRuntimes() != null) {
      info.getRuntimes().forEach((name, rt) -> runtimes.put(name, String.valueOf(rt.getPath())));
    }
    String backing = "";
    if (info.getDriverStatuses() != null) {
      for (List<String> kv : info.getDriverStatuses()) {
        if (kv.size() == 2 && kv.get(0).equals("Backing Filesystem")) {
          backing = kv.get(1);
        }
      }
    }
    return new EngineInfo(
        String.valueOf(info.getServerVersion()),
        runtimes,
        String.valueOf(info.getDriver()),
        backing);
  }

  List<String> runtimeArgs(String name) {
    try {
      var args =
          AgentChannel.JSON
              .readTree(DockerAttach.get(dockerHost, "/info"))
              .path("Runtimes")
              .path(name)
              .path("runtimeArgs");
      List<String> out = new ArrayList<>();
      args.forEach(a -> out.add(a.asText()));
      return out;
    } catch (IOException e) {
      throw new SandboxException(Reason.ENGINE, "dockerd's /info is not JSON", e);
    }
  }

  boolean hasImage(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** The runtimes dockerd has registered, for a message; "unknown" when it cannot say. */
  String registeredRuntimes() {
    try {
      return docker.infoCmd().exec().getRuntimes().keySet().stream()
          .sorted()
          .collect(Collectors.joining(", "));
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
