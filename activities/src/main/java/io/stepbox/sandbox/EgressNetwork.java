package io.stepbox.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import java.util.Map;

/**
 * The Docker network of sandboxes with egress: internal (no route out), containers unable to
 * reach each other, and a bridge named like the network so that setup's firewall rules can name
 * it. Its gateway, the host's side of the bridge, is where the sandboxes' proxies listen: the only
 * peer a sandbox on it reaches.
 */
final class EgressNetwork {
  private final DockerClient docker;
  private final DockerErrors errors;
  private final String name;
  private volatile String gateway;

  EgressNetwork(DockerClient docker, DockerErrors errors, String name) {
    this.docker = docker;
    this.errors = errors;
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Creates the network unless it exists; returns its gateway address. */
  String ensure() {
    String g = gateway;
    if (g != null) {
      return g;
    }
    Network n = inspectOrCreate();
    Map<String, String> options = n.getOptions() == null ? Map.of() : n.getOptions();
    if (!Boolean.TRUE.equals(n.getInternal())
        || !"false".equals(options.get("com.docker.network.bridge.enable_icc"))
        || !name.equals(options.get("com.docker.network.bridge.name"))) {
      throw SandboxException.invalid(
          "the egress network '"
              + name
              + "' is not internal, lets its containers reach each other, or has a bridge that"
              + " setup's firewall rules do not name; remove it (docker network rm "
              + name
              + ") and stepbox makes it again");
    }
    g =
        n.getIpam().getConfig().stream()
            .map(Network.Ipam.Config::getGateway)
            .filter(x -> x != null && !x.contains(":"))
            .findFirst()
            .orElseThrow(
                () -> SandboxException.invalid("the egress network '" + name + "' has no gateway"));
    gateway = g;
    return g;
  }

  private Network inspectOrCreate() {
    try {
      return docker.inspectNetworkCmd().withNetworkId(name).exec();
    } catch (NotFoundException e) {
      create();
      return docker.inspectNetworkCmd().withNetworkId(name).exec();
    } catch (RuntimeException e) {
      throw errors.translate("inspect network " + name, e);
    }
  }

  private void create() {
    Map<String, String> options =
        Map.of(
            "com.docker.network.bridge.enable_icc", "false",
            "com.docker.network.bridge.name", name);
    try {
      docker
          .createNetworkCmd()
          .withName(name)
          .withDriver("bridge")
          .withInternal(true)
          .withOptions(options)
          .withLabels(Map.of(SandboxLabels.MANAGED, "true"))
          .exec();
    } catch (ConflictException e) {
      // Made by another process meanwhile.
    } catch (RuntimeException e) {
      throw errors.translate("create network " + name, e);
    }
  }

  /** The address of container {@code id} on this network. */
  String addressOf(String id) {
    try {
      ContainerNetwork n =
          docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get(name);
      if (n == null || n.getIpAddress() == null || n.getIpAddress().isBlank()) {
        throw new SandboxException(
            SandboxException.Reason.ENGINE, "sandbox " + id + " has no address on " + name);
      }
      return n.getIpAddress();
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw errors.translate("inspect sandbox " + id, e);
    }
  }
}
