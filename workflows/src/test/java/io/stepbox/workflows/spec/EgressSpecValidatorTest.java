package io.stepbox.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Networks as egress policies, their overrides and egress secrets, as the validator sees them. */
class EgressSpecValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TaskSpec read(String json) throws Exception {
    return JSON.readValue(json, TaskSpec.class);
  }

  private static List<String> errors(String json) throws Exception {
    return TaskSpecValidator.validate(read(json)).stream().map(SpecError::toString).toList();
  }

  @Test
  void anEgressTaskWithOverridesAndBothKindsOfSecretIsValid() throws Exception {
    TaskSpec spec =
        read(
            """
            {"name": "t", "image": "i",
             "network": {"allow": ["github.com", "*.files.example.org", "git.example.com:443"],
                         "deny": ["secret.files.example.org"], "onDenied": "approve"},
             "secrets": ["PIP_TOKEN",
                         {"name": "GITHUB_TOKEN", "hosts": ["github.com"],
                          "header": "Authorization: token {value}"},
                         {"name": "GIT_TOKEN", "hosts": ["git.example.com"],
                          "basicAuth": "x-access-token"}],
             "steps": [{"id": "a", "run": "x", "network": "none"},
                       {"id": "b", "run": "y",
                        "approaches": [{"name": "c", "run": "z",
                          "network": {"allow": ["github.com", "git.example.com"]}}]}]}
            """);

    assertThat(TaskSpecValidator.validate(spec)).isEmpty();
    StepSpec b = spec.steps().get(1);
    assertThat(spec.networkFor(b, null)).isSameAs(spec.network());
    assertThat(spec.networkFor(spec.steps().get(0), null)).isEqualTo(NetworkSpec.NONE);
    assertThat(spec.egressFor(spec.steps().get(0), null)).isEmpty();
    assertThat(spec.egressFor(b, b.approaches().get(0)))
        .contains(
            new EgressPolicy(
                List.of("github.com", "git.example.com"),
                List.of(),
                List.of(
                    new EgressSecret(
                        "GITHUB_TOKEN",
                        List.of("github.com"),
                        "Authorization: token {value}",
                        null),
                    new EgressSecret(
                        "GIT_TOKEN", List.of("git.example.com"), null, "x-access-token"))));
    assertThat(spec.envSecrets()).containsExactly("PIP_TOKEN");
  }

  @Test
  void badHostsPortsWildcardsAndOnDeniedAreReportedWithTheirPath() throws Exception {
    assertThat(
            errors(
                """
                {"name": "t", "image": "i",
                 "network": {"allow": ["ok.example.org", "10.0.0.1", "a.*.example.org",
                                       "git.example.com:99999", null],
                             "deny": ["*"], "onDenied": "maybe"},
                 "steps": [{"id": "a", "run": "x"}]}
                """))
        .containsExactly(
            "network.allow[1]: '10.0.0.1' is an IP address; egress rules name hosts (the proxy"
                + " resolves them and refuses loopback, private and link-local addresses)",
            "network.allow[2]: 'a.*.example.org': '*' is allowed only as the first label"
                + " (*.example.org); allowing every host is not an allow list",
            "network.allow[3]: 'git.example.com:99999': the port must be a number from 1 to"
                + " 65535, like host:443",
            "network.allow[4]: must not be empty; write a host name like index.example.org",
            "network.deny[0]: '*': '*' is allowed only as the first label (*.example.org); allowing"
                + " every host is not an allow list",
            "network.onDenied: \"maybe\" must be fail or approve");
  }

  @Test
  void overridesAreCheckedAtTheirStepsAndApproaches() throws Exception {
    assertThat(
            errors(
                """
                {"name": "t", "image": "i",
                 "steps": [
                   {"id": "a", "run": "x", "network": {"allow": ["[::1]"], "onDenied": "ask"}},
                   {"id": "b", "run": "x", "network": "host",
                    "approaches": [{"name": "c", "run": "y", "network": {"deny": ["x.org:0"]}},
                                   {"name": "d", "run": "y", "network": "bridge"}]}]}
                """))
        .containsExactly(
            "steps[0].network.allow[0]: '[::1]' is an IP address; egress rules name hosts (the"
                + " proxy resolves them and refuses loopback, private and link-local addresses)",
            "steps[0].network.onDenied: \"ask\" must be fail or approve",
            "steps[1].network: \"host\" is not allowed; use none or the name of an internal Docker"
                + " network",
            "steps[1].approaches[0].network.deny[0]: 'x.org:0': the port must be a number from 1"
                + " to 65535, like host:443",
            "steps[1].approaches[1].network: \"bridge\" is not allowed; use none or the name of an"
                + " internal Docker network");
  }

  @Test
  void egressSecretsMustBeWellFormedUniqueAndAllowedByEveryEgressNetwork() throws Exception {
    assertThat(
            errors(
                """
                {"name": "t", "image": "i", "network": {"allow": ["github.com"]},
                 "secrets": ["TOKEN",
                             {"name": "TOKEN", "hosts": ["github.com"]},
                             {"name": "GH", "hosts": ["api.github.com", "github.com:443"]},
                             {"name": "GH", "hosts": ["github.com"], "header": "Bearer {value}"},
                             {"name": "NO_HOSTS", "basicAuth": "me"}],
                 "steps": [{"id": "a", "run": "x", "network": {"allow": ["pypi.org"]}}]}
                """))
        .containsExactly(
            "secrets[1].name: \"TOKEN\" is also an env secret; a secret is either set in the"
                + " sandbox's env (a name) or added by the egress proxy (an object), not both",
            "secrets[2].hosts[1]: 'github.com:443': name the host without a port",
            "secrets[2].hosts[0]: \"api.github.com\" is not on network.allow; add it there too",
            "secrets[3].header: 'Bearer {value}' must be 'Name: value', like Authorization:"
                + " Bearer {value}",
            "secrets[3].name: duplicate secret \"GH\"",
            "secrets[4].hosts: name at least one host that gets this secret",
            "steps[0].network.allow: secret TOKEN goes to \"github.com\", which this list does"
                + " not allow; add it here too (this network replaces the task's whole)",
            "steps[0].network.allow: secret GH goes to \"api.github.com\", which this list does"
                + " not allow; add it here too (this network replaces the task's whole)",
            "steps[0].network.allow: secret GH goes to \"github.com\", which this list does not"
                + " allow; add it here too (this network replaces the task's whole)");
  }

  @Test
  void anEgressSecretNeedsAnEgressNetworkSomewhere() throws Exception {
    assertThat(
            errors(
                """
                {"name": "t", "image": "i",
                 "secrets": [{"name": "GH", "hosts": ["github.com"]}, "GH"],
                 "steps": [{"id": "a", "run": "x"}]}
                """))
        .containsExactly(
            "secrets[0]: an egress secret needs an egress network: write network: {allow: [...]}"
                + " naming its hosts, or list the secret by name to set it in the sandbox's env",
            "secrets[1]: \"GH\" is also an egress secret; a secret is either set in the"
                + " sandbox's env (a name) or added by the egress proxy (an object), not both");
  }

  @Test
  void anEgressNetworkOnOneStepIsEnoughForASecret() throws Exception {
    assertThat(
            errors(
                """
                {"name": "t", "image": "i",
                 "secrets": [{"name": "GH", "hosts": ["github.com"]}],
                 "steps": [{"id": "a", "run": "x"},
                           {"id": "b", "run": "x", "network": {"allow": ["github.com"]}}]}
                """))
        .isEmpty();
  }

  @Test
  void aNameWithAllowOrDenyIsRefused() {
    TaskSpec spec =
        new TaskSpec(
            "t",
            "i",
            null,
            new NetworkSpec("stepbox-internal", List.of("a.org"), null, null),
            null,
            null,
            null,
            null,
            List.of(StepSpec.of("a", "x")),
            null);

    assertThat(TaskSpecValidator.validate(spec))
        .extracting(SpecError::toString)
        .containsExactly("network: give a network name or {allow, deny}, not both");
  }
}
