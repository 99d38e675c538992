package io.stepbox.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The agent's fifo operations, in and out of their JSON. */
final class AgentFiles {
  private AgentFiles() {}

  static List<SandboxFifo> findFifos(AgentChannel ch, List<String> dirs, Duration timeout) {
    ObjectNode args = AgentChannel.JSON.createObjectNode();
    dirs.forEach(args.putArray("dirs")::add);
    JsonNode reply = ch.call("scanFifos", args, timeout);
    List<SandboxFifo> out = new ArrayList<>();
    for (JsonNode f : reply) {
      out.add(
          new SandboxFifo(
              f.path("path").asText(),
              f.path("mode").asInt(),
              f.path("uid").asLong(),
              f.path("gid").asLong(),
              Instant.ofEpochSecond(f.path("sec").asLong(), f.path("nsec").asLong())));
    }
    return out;
  }

  static void makeFifos(AgentChannel ch, List<SandboxFifo> fifos, Duration timeout) {
    ObjectNode args = AgentChannel.JSON.createObjectNode();
    ArrayNode list = args.putArray("fifos");
    for (SandboxFifo f : fifos) {
      list.addObject()
          .put("path", f.path())
          .put("mode", f.mode())
          .put("uid", f.uid())
          .put("gid", f.gid())
          .put("sec", f.mtime().getEpochSecond())
          .put("nsec", f.mtime().getNano());
    }
    ch.call("makeFifos", args, timeout);
  }
}
