package io.stepbox.workflows.spec;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.HostRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a network written at {@code network}, {@code steps[i].network} or {@code
 * steps[i].approaches[j].network}: a name, or an egress policy. An override's allow list must name
 * every host of the task's egress secrets ({@link SecretChecks} checks the task's own list).
 */
final class NetworkChecks {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Set<String> SHARED_NETWORKS = Set.of("host", "bridge", "default");

  private final SpecErrors errors;
  private final List<SecretSpec> secrets;

  NetworkChecks(SpecErrors errors, List<SecretSpec> secrets) {
    this.errors = errors;
    this.secrets = secrets;
  }

  /** Checks the task's network. */
  void task(NetworkSpec network) {
    check("network", network);
  }

  /** Checks the override at {@code path}; null (no override) is fine. */
  void override(String path, NetworkSpec network) {
    if (network != null && check(path, network)) {
      secretHosts(path, network.allow());
    }
  }

  /** Checks {@code network}; returns whether it is an egress policy. */
  private boolean check(String path, NetworkSpec network) {
    if (!network.isEgress()) {
      name(path, network);
      return false;
    }
    EgressPolicy rules =
        new EgressPolicy(present(network.allow()), present(network.deny()), List.of());
    for (String problem : rules.problems()) {
      int colon = problem.indexOf(": ");
      errors.add(path + "." + problem.substring(0, colon), problem.substring(colon + 2));
    }
    String onDenied = network.onDenied();
    if (!NetworkSpec.FAIL.equals(onDenied) && !NetworkSpec.APPROVE.equals(onDenied)) {
      errors.add(path + ".onDenied", SpecErrors.quote(onDenied) + " must be fail or approve");
    }
    return true;
  }

  private void name(String path, NetworkSpec network) {
    String name = network.name();
    if (!network.allow().isEmpty() || !network.deny().isEmpty()) {
      errors.add(path, "give a network name or {allow, deny}, not both");
    }
    if (TaskSpec.NO_NETWORK.equals(name)) {
      return;
    }
    if (SHARED_NETWORKS.contains(name) || !NAME.matcher(name).matches()) {
      errors.add(
          path,
          SpecErrors.quote(name)
              + " is not allowed; use none or the name of an internal Docker network");
    }
  }

  /** Each egress secret's hosts must be allowed wherever the secret is sent. */
  private void secretHosts(String path, List<String> allow) {
    for (SecretSpec s : secrets) {
      if (s == null || !s.isEgress()) {
        continue;
      }
      for (String host : s.hosts()) {
        if (!allows(allow, host)) {
          errors.add(
              path + ".allow",
              "secret "
                  + s.name()
                  + " goes to "
                  + SpecErrors.quote(host)
                  + ", which this list does not allow; add it here too (this network replaces"
                  + " the task's whole)");
        }
      }
    }
  }

  /**
   * Whether an entry of {@code allow} names {@code host}; true for entries and hosts that do not
   * parse, which are reported where they are written.
   */
  static boolean allows(List<String> allow, String host) {
    if (!plainHost(host)) {
      return true;
    }
    return EgressPolicy.allowing(allow).namesHost(host);
  }

  /** Whether {@code host} is a name without a port; the others are reported with the secret. */
  private static boolean plainHost(String host) {
    try {
      return HostRule.deny(host).ports().isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Empty text for missing entries, which {@link HostRule} reports as empty. */
  private static List<String> present(List<String> entries) {
    return entries.stream().map(e -> e == null ? "" : e).toList();
  }
}
