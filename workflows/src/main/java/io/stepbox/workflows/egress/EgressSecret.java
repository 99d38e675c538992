package io.stepbox.workflows.egress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A credential the egress proxy adds to requests for some hosts, so that its value never enters
 * the sandbox: not its environment, files, arguments, snapshot, output or history. Only the name
 * travels in payloads; the worker takes the value from its own environment.
 *
 * @param name the worker's environment variable holding the value
 * @param hosts the hosts (as in {@link HostRule}, without ports) whose requests get it
 * @param header {@code Name: template}, where {@code {value}} stands for the value; null for
 *     {@value #DEFAULT_HEADER} (or basic auth when {@code basicAuthUser} is set)
 * @param basicAuthUser set for HTTP basic auth (git over HTTPS): the header is {@code
 *     Authorization: Basic base64(user:value)}
 */
public record EgressSecret(String name, List<String> hosts, String header, String basicAuthUser) {

  /** The header of a secret that names none. */
  public static final String DEFAULT_HEADER = "Authorization: Bearer {value}";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]*");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$&'*+.^_`|~-]+");

  public EgressSecret {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** The header's name, like {@code Authorization}. */
  public String headerName() {
    return basicAuthUser != null ? "Authorization" : template().substring(0, colon()).trim();
  }

  /** The header's value with the secret's {@code value} in it. */
  public String headerValue(String value) {
    if (basicAuthUser != null) {
      byte[] pair = (basicAuthUser + ":" + value).getBytes(StandardCharsets.UTF_8);
      return "Basic " + Base64.getEncoder().encodeToString(pair);
    }
    return template().substring(colon() + 1).trim().replace("{value}", value);
  }

  /** Whether a request for {@code host} gets this secret. */
  public boolean appliesTo(String host) {
    return hostRules().stream().anyMatch(r -> r.matchesHost(host));
  }

  /** The hosts as rules (ports ignored). */
  public List<HostRule> hostRules() {
    return hosts.stream().map(h -> HostRule.parse(h, List.of())).toList();
  }

  private String template() {
    return header == null ? DEFAULT_HEADER : header;
  }

  private int colon() {
    return template().indexOf(':');
  }

  /** What is wrong with this secret, each message starting with its field; empty when valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      out.add("name: '" + name + "' is not a variable name (letters, digits, _)");
    }
    if (hosts.isEmpty()) {
      out.add("hosts: name at least one host that gets this secret");
    }
    for (int i = 0; i < hosts.size(); i++) {
      try {
        HostRule r = HostRule.parse(hosts.get(i), List.of());
        if (!r.ports().isEmpty()) {
          out.add("hosts[" + i + "]: '" + hosts.get(i) + "': name the host without a port");
        }
      } catch (IllegalArgumentException e) {
        out.add("hosts[" + i + "]: " + e.getMessage());
      }
    }
    if (header != null && basicAuthUser != null) {
      out.add("header: give either header or basicAuth, not both");
    } else if (header != null) {
      int c = header.indexOf(':');
      if (c <= 0 || !TOKEN.matcher(header.substring(0, c).trim()).matches()) {
        out.add("header: '" + header + "' must be 'Name: value', like " + DEFAULT_HEADER);
      } else if (!header.substring(c + 1).contains("{value}")) {
        out.add("header: '" + header + "' must hold {value} where the secret goes");
      } else if (!PRINTABLE.matcher(header).matches()) {
        out.add(
            "header: '"
                + header
                + "' may hold printable ASCII only, without quotes or backslashes");
      }
    } else if (basicAuthUser != null
        && (basicAuthUser.isEmpty()
            || basicAuthUser.contains(":")
            || !PRINTABLE.matcher(basicAuthUser).matches())) {
      out.add("basicAuth: the user must be printable ASCII, non-empty and hold no ':'");
    }
    return out;
  }
}
