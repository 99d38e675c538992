package io.stepbox.workflows.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a spec's {@code secrets}: names valid and given once, env secrets not also in {@code
 * env}, egress secrets well formed and sent over an egress network. Whether each egress network
 * allows the secrets' hosts is {@link NetworkChecks}' part.
 */
final class SecretChecks {
  private SecretChecks() {}

  static void check(SpecErrors errors, TaskSpec spec) {
    Map<String, Boolean> seen = new HashMap<>(); // name -> whether first given as egress secret
    List<SecretSpec> secrets = spec.secrets();
    for (int i = 0; i < secrets.size(); i++) {
      String at = "secrets[" + i + "]";
      SecretSpec s = secrets.get(i);
      if (s == null || !s.isEgress()) {
        env(errors, at, s == null ? null : s.name(), spec.env(), seen);
        continue;
      }
      s.toEgress().problems().forEach(p -> add(errors, at, p));
      allowed(errors, at, s, spec.network());
      if (s.name() != null && seen.containsKey(s.name())) {
        errors.add(at + ".name", twice(s.name(), seen.get(s.name()), true));
      }
      if (s.name() != null) {
        seen.putIfAbsent(s.name(), true);
      }
      if (!anyEgressNetwork(spec)) {
        errors.add(
            at,
            "an egress secret needs an egress network: write network: {allow: [...]} naming"
                + " its hosts, or list the secret by name to set it in the sandbox's env");
      }
    }
  }

  private static void env(
      SpecErrors errors,
      String at,
      String name,
      Map<String, String> env,
      Map<String, Boolean> seen) {
    if (!errors.present(at, name)) {
      return;
    }
    if (!SpecErrors.ENV_NAME.matcher(name).matches()) {
      errors.add(at, SpecErrors.quote(name) + " is not a valid variable name");
    } else if (seen.containsKey(name)) {
      errors.add(at, twice(name, seen.get(name), false));
    } else if (env.containsKey(name)) {
      errors.add(
          at, SpecErrors.quote(name) + " is also set in env; a secret comes only from the worker");
    }
    seen.putIfAbsent(name, false);
  }

  /** The message for a name given again, first as an egress secret or not, now as one or not. */
  private static String twice(String name, boolean firstEgress, boolean nowEgress) {
    if (firstEgress == nowEgress) {
      return "duplicate secret " + SpecErrors.quote(name);
    }
    return SpecErrors.quote(name)
        + " is also an "
        + (firstEgress ? "egress" : "env")
        + " secret; a secret is either set in the sandbox's env (a name) or added by the"
        + " egress proxy (an object), not both";
  }

  /** Each of the secret's hosts must be on the task's allow list, if it has one. */
  private static void allowed(SpecErrors errors, String at, SecretSpec s, NetworkSpec network) {
    for (int h = 0; network.isEgress() && h < s.hosts().size(); h++) {
      if (!NetworkChecks.allows(network.allow(), s.hosts().get(h))) {
        errors.add(
            at + ".hosts[" + h + "]",
            SpecErrors.quote(s.hosts().get(h)) + " is not on network.allow; add it there too");
      }
    }
  }

  /** {@code name: message} of an egress secret's problem, under {@code at}. */
  private static void add(SpecErrors errors, String at, String problem) {
    int colon = problem.indexOf(": ");
    errors.add(at + "." + problem.substring(0, colon), problem.substring(colon + 2));
  }

  private static boolean anyEgressNetwork(TaskSpec spec) {
    if (spec.network().isEgress()) {
      return true;
    }
    for (StepSpec step : spec.steps()) {
      if (step == null) {
        continue;
      }
      if (step.network() != null && step.network().isEgress()) {
        return true;
      }
      for (ApproachSpec a : step.approaches()) {
        if (a != null && a.network() != null && a.network().isEgress()) {
          return true;
        }
      }
    }
    return false;
  }
}
