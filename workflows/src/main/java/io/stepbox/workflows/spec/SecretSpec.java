package io.stepbox.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stepbox.workflows.egress.EgressSecret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of a spec's {@code secrets}, written in one of two forms; the worker takes the value of
 * either from its own environment, and neither value enters history.
 *
 * <ul>
 *   <li>A name, {@code GITHUB_TOKEN}: an env secret, set in the sandbox's environment.
 *   <li>An object, {@code {name: GITHUB_TOKEN, hosts: [github.com], header: "Authorization: Bearer
 *       {value}"}} or {@code {name: GIT_TOKEN, hosts: [git.example.com], basicAuth:
 *       x-access-token}}: an egress secret, which the egress proxy adds to requests for its hosts.
 *       Its value never enters the sandbox.
 * </ul>
 *
 * Each form reads and writes back as it was written.
 *
 * @param name the variable holding the value in the worker's environment
 * @param hosts for an egress secret, the hosts whose requests get it (possibly empty, which the
 *     validator refuses); null for an env secret
 * @param header for an egress secret, {@code Name: template} with {@code {value}}; null for {@value
 *     EgressSecret#DEFAULT_HEADER} or basic auth
 * @param basicAuth for an egress secret sent as HTTP basic auth: the user name; else null
 */
public record SecretSpec(String name, List<String> hosts, String header, String basicAuth) {

  /** Empty hosts for an egress secret written without any, so it stays an egress secret. */
  public SecretSpec {
    if (hosts == null && (header != null || basicAuth != null)) {
      hosts = List.of();
    }
    hosts = hosts == null ? null : Specs.list(hosts);
  }

  /** An env secret: the worker sets variable {@code name} in the sandbox. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static SecretSpec env(String name) {
    return new SecretSpec(name, null, null, null);
  }

  /** An egress secret, as the object form reads. */
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public static SecretSpec egress(
      @JsonProperty("name") String name,
      @JsonProperty("hosts") List<String> hosts,
      @JsonProperty("header") String header,
      @JsonProperty("basicAuth") String basicAuth) {
    return new SecretSpec(name, hosts == null ? List.of() : hosts, header, basicAuth);
  }

  /** Whether the egress proxy adds it (rather than the sandbox's environment holding it). */
  public boolean isEgress() {
    return hosts != null;
  }

  /**
   * The secret as the egress proxy takes it.
   *
   * @throws IllegalStateException for an env secret
   */
  public EgressSecret toEgress() {
    if (!isEgress()) {
      throw new IllegalStateException("secret " + name + " is an env secret");
    }
    List<String> named = hosts.stream().map(h -> h == null ? "" : h).toList();
    return new EgressSecret(name, named, header, basicAuth);
  }

  /** The form it was written in: the name, or the fields of an egress secret. */
  @JsonValue
  Object written() {
    if (!isEgress()) {
      return name;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("hosts", hosts);
    if (header != null) {
      fields.put("header", header);
    }
    if (basicAuth != null) {
      fields.put("basicAuth", basicAuth);
    }
    return fields;
  }
}
