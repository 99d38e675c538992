package io.stepbox.workflows.egress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of an allow or deny list: a host name ({@code index.example.org}), a wildcard over its
 * subdomains ({@code *.files.example.org}, which does not match {@code files.example.org} itself),
 * and optionally one port ({@code git.example.com:443}). Names only: IP literals, {@code localhost}
 * and bare wildcards are refused, so that a list always says by name who is reached.
 *
 * @param host the name, lower case, without the {@code *.} of a wildcard
 * @param wildcard whether the rule matches the subdomains of {@code host} (and not {@code host})
 * @param ports the ports it matches; empty matches every port
 */
public record HostRule(String host, boolean wildcard, List<Integer> ports) {

  /** The ports an allow rule without a port matches. */
  public static final List<Integer> WEB_PORTS = List.of(80, 443);

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+|0x[0-9a-f]+");

  public HostRule {
    ports = List.copyOf(ports);
  }

  /** An allow rule: without a port it matches {@link #WEB_PORTS}. */
  public static HostRule allow(String text) {
    return parse(text, WEB_PORTS);
  }

  /** A deny rule: without a port it matches every port. */
  public static HostRule deny(String text) {
    return parse(text, List.of());
  }

  /**
   * Reads {@code host}, {@code *.host}, {@code host:port} or {@code *.host:port}.
   *
   * @throws IllegalArgumentException whose message says what is wrong and what to write instead
   */
  static HostRule parse(String text, List<Integer> defaultPorts) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must not be empty; write a host name like index.example.org");
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("[") || t.chars().filter(c -> c == ':').count() > 1) {
      throw ipLiteral(text);
    }
    List<Integer> ports = defaultPorts;
    int colon = t.lastIndexOf(':');
    if (colon >= 0) {
      ports = List.of(port(text, t.substring(colon + 1)));
      t = t.substring(0, colon);
    }
    boolean wildcard = t.startsWith("*.");
    String host = wildcard ? t.substring(2) : t;
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    checkName(text, host, wildcard);
    return new HostRule(host, wildcard, ports);
  }

  private static int port(String text, String digits) {
    try {
      int p = Integer.parseInt(digits);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "'" + text + "': the port must be a number from 1 to 65535, like host:443");
  }

  private static void checkName(String text, String host, boolean wildcard) {
    if (host.isEmpty() || host.contains("*")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "': '*' is allowed only as the first label (*.example.org); "
              + "allowing every host is not an allow list");
    }
    if (NUMERIC.matcher(host).matches() || isDottedNumbers(host)) {
      throw ipLiteral(text);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      throw new IllegalArgumentException(
          "'" + text + "': localhost is the sandbox itself and never goes through the proxy");
    }
    if (host.length() > 253) {
      throw new IllegalArgumentException("'" + text + "': a host name has at most 253 characters");
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not a host name: labels are letters, digits and '-' "
                + "(1-63 characters, no '-' at either end), separated by single dots");
      }
    }
    if (wildcard && !host.contains(".")) {
      throw new IllegalArgumentException(
          "'" + text + "': a wildcard needs a domain of at least two labels, like *.example.org");
    }
  }

  private static boolean isDottedNumbers(String host) {
    for (String label : host.split("\\.")) {
      if (!label.chars().allMatch(Character::isDigit)) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException ipLiteral(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is an IP address; egress rules name hosts (the proxy resolves them and "
            + "refuses loopback, private and link-local addresses)");
  }

  /** Whether a request for {@code name} on {@code port} matches this rule. */
  public boolean matches(String name, int port) {
    return matchesHost(name) && (ports.isEmpty() || ports.contains(port));
  }

  /** Whether {@code name} (any case, a trailing dot allowed) matches this rule's host part. */
  public boolean matchesHost(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    return wildcard ? n.endsWith("." + host) : n.equals(host);
  }

  /** The rule as it is written: {@code *.host:port}, the port only when it is one given. */
  public String text() {
    String name = wildcard ? "*." + host : host;
    return ports.size() == 1 ? name + ":" + ports.get(0) : name;
  }

  /** Parses each entry; every bad entry is reported, with its index, in one exception. */
  static List<HostRule> parseAll(List<String> texts, boolean allow) {
    List<HostRule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        rules.add(allow ? allow(texts.get(i)) : deny(texts.get(i)));
      } catch (IllegalArgumentException e) {
        errors.add((allow ? "allow[" : "deny[") + i + "]: " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return rules;
  }
}
