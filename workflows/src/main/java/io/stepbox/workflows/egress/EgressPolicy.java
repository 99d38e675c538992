package io.stepbox.workflows.egress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one sandbox may reach through the egress proxy: hosts on the allow list that no deny rule
 * matches, on their ports, and (checked by the proxy after resolution) never at a loopback,
 * private or link-local address. Each sandbox gets its own proxy with its own policy.
 *
 * @param allow allow rules as written ({@link HostRule#allow}); empty allows nothing
 * @param deny deny rules as written ({@link HostRule#deny}); a deny rule wins over an allow rule
 * @param secrets credentials the proxy adds for some allowed hosts (names only)
 */
public record EgressPolicy(List<String> allow, List<String> deny, List<EgressSecret> secrets) {

  /** Why the proxy denied a request, as the audit and the 403 page name it. */
  public enum Reason {
    /** The request named an IP address instead of a host. */
    IP_LITERAL,
    /** A deny rule matched. */
    DENY_RULE,
    /** No allow rule names the host. */
    NOT_ALLOWED,
    /** The host is allowed, but not on this port. */
    PORT,
    /** The host resolved to a loopback, private or link-local address. */
    PRIVATE_ADDRESS,
    /** The TLS server name (SNI) differs from an allowed host. */
    SNI
  }

  public EgressPolicy {
    allow = allow == null ? List.of() : List.copyOf(allow);
    deny = deny == null ? List.of() : List.copyOf(deny);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** A policy allowing {@code hosts} and nothing else. */
  public static EgressPolicy allowing(List<String> hosts) {
    return new EgressPolicy(hosts, List.of(), List.of());
  }

  /** This policy with {@code hosts} added to its allow list (those already there are kept once). */
  public EgressPolicy withAllowed(List<String> hosts) {
    Set<String> all = new LinkedHashSet<>(allow);
    all.addAll(hosts);
    return new EgressPolicy(new ArrayList<>(all), deny, secrets);
  }

  /** The allow rules; throws {@link IllegalArgumentException} naming every bad entry. */
  public List<HostRule> allowRules() {
    return HostRule.parseAll(allow, true);
  }

  /** The deny rules; throws {@link IllegalArgumentException} naming every bad entry. */
  public List<HostRule> denyRules() {
    return HostRule.parseAll(deny, false);
  }

  /**
   * What is wrong with this policy, each message starting with its field ({@code allow[1]: ...},
   * {@code secrets[0].hosts[0]: ...}); empty when valid.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < allow.size(); i++) {
      addProblem(out, "allow[" + i + "]", allow.get(i), true);
    }
    for (int i = 0; i < deny.size(); i++) {
      addProblem(out, "deny[" + i + "]", deny.get(i), false);
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < secrets.size(); i++) {
      EgressSecret s = secrets.get(i);
      String at = "secrets[" + i + "]";
      if (s == null) {
        out.add(at + ": must not be empty");
        continue;
      }
      s.problems().forEach(p -> out.add(at + "." + p));
      if (s.name() != null && !names.add(s.name())) {
        out.add(at + ".name: '" + s.name() + "' is given twice");
      }
      for (int h = 0; h < s.hosts().size(); h++) {
        String host = s.hosts().get(h);
        if (validHost(host) && !namesHost(host)) {
          out.add(
              at + ".hosts[" + h + "]: '" + host + "' is not on the allow list; add it there too");
        }
      }
    }
    return out;
  }

  private static void addProblem(List<String> out, String at, String text, boolean allow) {
    try {
      HostRule.parse(text, allow ? HostRule.WEB_PORTS : List.of());
    } catch (IllegalArgumentException e) {
      out.add(at + ": " + e.getMessage());
    }
  }

  private static boolean validHost(String host) {
    try {
      HostRule.parse(host, List.of());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether an allow entry names {@code host} (any port); entries that do not parse are passed
   * over here ({@link #problems()} reports them).
   */
  public boolean namesHost(String host) {
    return allowRulesQuietly().stream().anyMatch(r -> r.matchesHost(host));
  }

  private List<HostRule> allowRulesQuietly() {
    List<HostRule> rules = new ArrayList<>();
    for (String a : allow) {
      try {
        rules.add(HostRule.allow(a));
      } catch (IllegalArgumentException e) {
        // reported by problems()
      }
    }
    return rules;
  }

  /**
   * Why the rules alone deny a request for {@code host} on {@code port}; empty when they allow it
   * (the proxy may still deny it after resolution: {@link Reason#PRIVATE_ADDRESS}).
   */
  public Optional<Reason> check(String host, int port) {
    if (host == null || looksLikeAddress(host)) {
      return Optional.of(Reason.IP_LITERAL);
    }
    if (denyRules().stream().anyMatch(r -> r.matches(host, port))) {
      return Optional.of(Reason.DENY_RULE);
    }
    List<HostRule> named = allowRules().stream().filter(r -> r.matchesHost(host)).toList();
    if (named.isEmpty()) {
      return Optional.of(Reason.NOT_ALLOWED);
    }
    if (named.stream().noneMatch(r -> r.matches(host, port))) {
      return Optional.of(Reason.PORT);
    }
    return Optional.empty();
  }

  /** The secret the proxy adds to requests for {@code host}, if one applies (the first). */
  public Optional<EgressSecret> secretFor(String host) {
    return secrets.stream().filter(s -> s.appliesTo(host)).findFirst();
  }

  /** The sentence a denied request's 403 and the audit give for {@code reason}. */
  public static String explain(Reason reason, String host, int port) {
    return explain(reason, host, Integer.toString(port));
  }

  /** {@link #explain(Reason, String, int)} with the port as text (a page template's macro). */
  public static String explain(Reason reason, String host, String port) {
    String hp = host + ":" + port;
    return switch (reason) {
      case IP_LITERAL -> hp
          + " is an IP address; stepbox's egress allows hosts by name only: "
          + "request the host's name instead";
      case DENY_RULE -> hp + " matches the network's deny list; remove the rule to reach it";
      case NOT_ALLOWED -> hp
          + " is not on the sandbox's allow list; add it to network.allow ("
          + host
          + "), or pass --allow-host "
          + host;
      case PORT -> hp
          + " is allowed on other ports only; add '"
          + host
          + ":"
          + port
          + "' to network.allow";
      case PRIVATE_ADDRESS -> hp
          + " resolves to a loopback, private or link-local address, which the egress "
          + "proxy never connects to; an operator can map it in STEPBOX_EGRESS_HOSTS and "
          + "allow the address with STEPBOX_EGRESS_ALLOW_PRIVATE";
      case SNI -> hp
          + ": the TLS server name is not an allowed host (or differs from the CONNECT "
          + "host); connect with the allowed name";
    };
  }

  private static boolean looksLikeAddress(String host) {
    String h = host.startsWith("[") ? host.substring(1) : host;
    return h.contains(":") || h.chars().allMatch(c -> Character.isDigit(c) || c == '.');
  }
}
