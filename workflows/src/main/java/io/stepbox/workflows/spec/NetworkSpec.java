package io.stepbox.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec's {@code network}, written in one of two forms. A name: {@code none} (only loopback) or an
 * internal Docker network. Or an egress policy, {@code {allow: [...], deny: [...], onDenied:
 * approve}}: the sandbox reaches the allowed hosts through stepbox's egress proxy and nothing else.
 * Each form reads and writes back as it was written, so recorded histories keep their strings.
 *
 * @param name the network's name; null for an egress policy
 * @param allow the hosts an egress policy allows ({@code index.example.org}, {@code *.example.org},
 *     {@code git.example.com:443}); empty for a name
 * @param deny hosts an egress policy refuses even when allowed; empty for a name
 * @param onDenied what a step that failed while hosts were denied does: {@value #FAIL} (the
 *     default) fails the task, {@value #APPROVE} asks a person to allow the hosts
 */
public record NetworkSpec(String name, List<String> allow, List<String> deny, String onDenied) {

  /** The task fails when its step failed with hosts denied. */
  public static final String FAIL = "fail";

  /** The task waits for a person to allow the denied hosts, then reruns the step. */
  public static final String APPROVE = "approve";

  /** No network at all: the default. */
  public static final NetworkSpec NONE = named(TaskSpec.NO_NETWORK);

  /** Empty lists instead of nulls; {@value #FAIL} when {@code onDenied} is not given. */
  public NetworkSpec {
    allow = Specs.list(allow);
    deny = Specs.list(deny);
    onDenied = onDenied == null ? FAIL : onDenied;
  }

  /** The network called {@code name}: {@code none} or an internal Docker network. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static NetworkSpec named(String name) {
    return new NetworkSpec(name, null, null, null);
  }

  /** An egress policy, as the object form reads. */
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public static NetworkSpec egress(
      @JsonProperty("allow") List<String> allow,
      @JsonProperty("deny") List<String> deny,
      @JsonProperty("onDenied") String onDenied) {
    return new NetworkSpec(null, allow, deny, onDenied);
  }

  /** Whether this is an egress policy rather than a network name. */
  public boolean isEgress() {
    return name == null;
  }

  /** Whether a step that failed with hosts denied asks a person to allow them. */
  public boolean asksOnDenied() {
    return isEgress() && APPROVE.equals(onDenied);
  }

  /**
   * The policy a sandbox on this network gets: its allow and deny lists with {@code secrets}.
   *
   * @throws IllegalStateException for a network name, which has no policy
   */
  public EgressPolicy policy(List<EgressSecret> secrets) {
    if (!isEgress()) {
      throw new IllegalStateException("network " + name + " is a name, not an egress policy");
    }
    return new EgressPolicy(allow, deny, secrets);
  }

  /** The form it was written in: the name, or the fields of the policy. */
  @JsonValue
  Object written() {
    if (!isEgress()) {
      return name;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("allow", allow);
    fields.put("deny", deny);
    fields.put("onDenied", onDenied);
    return fields;
  }
}
