package io.stepbox.cli;

import io.stepbox.workflows.egress.EgressPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --allow-host H[:PORT]} (repeatable): the hosts a sandbox ({@code sandbox run|create}) or a
 * session ({@code session start}) may reach, and only those, through stepbox's egress proxy. Each
 * value is checked as it is read, so a bad host is a usage error naming it.
 */
public final class AllowHostOption {
  @Option(
      names = "--allow-host",
      paramLabel = "H[:PORT]",
      converter = Converters.HostValue.class,
      description = "reach host H through the egress proxy (repeatable; *.H: subdomains)")
  private List<String> hosts = new ArrayList<>();

  /** The hosts in the order given; empty when the option was not used. */
  public List<String> hosts() {
    return List.copyOf(hosts);
  }

  /** The policy allowing the hosts and nothing else; empty when none was given. */
  public Optional<EgressPolicy> policy() {
    return hosts.isEmpty() ? Optional.empty() : Optional.of(EgressPolicy.allowing(hosts));
  }
}
