package io.stepbox.workflows.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host rules, what a policy allows and why it denies, and the headers secrets become. */
class EgressRulesTest {
  @Test
  void aRuleIsANameAWildcardOverSubdomainsAndOptionallyOnePort() {
    HostRule plain = HostRule.allow("Index.Example.org");
    assertThat(plain.matches("index.example.org.", 443)).isTrue();
    assertThat(plain.matches("index.example.org", 8080)).isFalse();
    assertThat(plain.matches("x.index.example.org", 443)).isFalse();
    HostRule wild = HostRule.allow("*.files.example.org");
    assertThat(wild.matches("a.b.files.example.org", 80)).isTrue();
    assertThat(wild.matches("files.example.org", 80)).as("not the domain itself").isFalse();
    assertThat(wild.matches("evilfiles.example.org", 80)).isFalse();
    HostRule port = HostRule.allow("git.example.com:8443");
    assertThat(port.ports()).containsExactly(8443);
    assertThat(port.text()).isEqualTo("git.example.com:8443");
    assertThat(HostRule.deny("bad.example.org").matches("bad.example.org", 22)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.1|is an IP address",
        "[::1]:443|is an IP address",
        "2130706433|is an IP address",
        "localhost|localhost is the sandbox itself",
        "*|allowing every host is not an allow list",
        "*.org|a wildcard needs a domain of at least two labels",
        "a..b|is not a host name",
        "-a.example.org|is not a host name",
        "example.org:0|the port must be a number from 1 to 65535",
        "example.org:http|the port must be a number from 1 to 65535",
        "a.*.example.org|'*' is allowed only as the first label"
      })
  void badRulesAreRefusedWithWhatToWriteInstead(String text, String message) {
    assertThatThrownBy(() -> HostRule.allow(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aPolicySaysWhyItDenies() {
    EgressPolicy p =
        new EgressPolicy(
            List.of("pypi.example.org", "*.cdn.example.org", "git.example.com:8443"),
            List.of("bad.cdn.example.org"),
            List.of());
    assertThat(p.check("pypi.example.org", 443)).isEmpty();
    assertThat(p.check("a.cdn.example.org", 80)).isEmpty();
    assertThat(p.check("bad.cdn.example.org", 443)).contains(EgressPolicy.Reason.DENY_RULE);
    assertThat(p.check("git.example.com", 443)).contains(EgressPolicy.Reason.PORT);
    assertThat(p.check("other.example.org", 443)).contains(EgressPolicy.Reason.NOT_ALLOWED);
    assertThat(p.check("192.168.1.1", 80)).contains(EgressPolicy.Reason.IP_LITERAL);
    assertThat(p.check("::1", 80)).contains(EgressPolicy.Reason.IP_LITERAL);
    assertThat(EgressPolicy.explain(EgressPolicy.Reason.NOT_ALLOWED, "other.example.org", 443))
        .contains("other.example.org:443", "network.allow", "--allow-host other.example.org");
    assertThat(p.withAllowed(List.of("other.example.org", "pypi.example.org")).allow())
        .containsExactly(
            "pypi.example.org", "*.cdn.example.org", "git.example.com:8443", "other.example.org");
  }

  @Test
  void everyProblemOfAPolicyIsNamedWithItsField() {
    EgressPolicy p =
        new EgressPolicy(
            List.of("ok.example.org", "10.1.1.1"),
            List.of("*"),
            List.of(
                new EgressSecret("TOKEN", List.of("elsewhere.example.org"), null, null),
                new EgressSecret("TOKEN", List.of("ok.example.org"), "Authorization Bearer", null)));
    assertThat(p.problems())
        .anyMatch(m -> m.startsWith("allow[1]: '10.1.1.1' is an IP address"))
        .anyMatch(m -> m.startsWith("deny[0]: "))
        .anyMatch(m -> m.startsWith("secrets[0].hosts[0]: 'elsewhere.example.org' is not on the allow list"))
        .anyMatch(m -> m.startsWith("secrets[1].header: "))
        .anyMatch(m -> m.startsWith("secrets[1].name: 'TOKEN' is given twice"));
  }

  @Test
  void aHeaderCannotCarryQuotesOrLineBreaksIntoTheProxysConfiguration() {
    for (String header :
        List.of(
            "Authorization: {value}\"\nhttp_access allow all",
            "X-Key: a\\b {value}",
            "X-Key: caf\u00e9 {value}")) {
      EgressSecret s = new EgressSecret("T", List.of("a.example.org"), header, null);
      assertThat(s.problems()).as(header).anyMatch(m -> m.contains("printable ASCII only"));
    }
    assertThat(new EgressSecret("T", List.of("a.example.org"), null, "us\"er").problems())
        .anyMatch(m -> m.startsWith("basicAuth: "));
  }

  @Test
  void secretsBecomeAHeaderOrBasicAuth() {
    EgressSecret bearer = new EgressSecret("T", List.of("*.example.org"), null, null);
    assertThat(bearer.headerName()).isEqualTo("Authorization");
    assertThat(bearer.headerValue("v")).isEqualTo("Bearer v");
    assertThat(bearer.appliesTo("api.example.org")).isTrue();
    assertThat(bearer.appliesTo("example.org")).isFalse();
    EgressSecret custom = new EgressSecret("T", List.of("a.example.org"), "X-Api-Key: key={value}", null);
    assertThat(custom.headerName()).isEqualTo("X-Api-Key");
    assertThat(custom.headerValue("v")).isEqualTo("key=v");
    EgressSecret git = new EgressSecret("T", List.of("git.example.org"), null, "x-access-token");
    assertThat(git.headerValue("s3cr3t"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("x-access-token:s3cr3t".getBytes(StandardCharsets.UTF_8)));
    EgressPolicy p = new EgressPolicy(List.of("git.example.org"), List.of(), List.of(git));
    assertThat(p.secretFor("git.example.org")).contains(git);
    assertThat(p.secretFor("other.example.org")).isEqualTo(Optional.empty());
  }

  @Test
  void summaryNamesDeniedHostsAsAnAllowListWould() {
    EgressSummary s =
        EgressSummary.of(
            List.of(
                new EgressRecord(1, EgressRecord.DENIED, "GET", "a.test", 80, null, 403, 10, 20, null, "NOT_ALLOWED", "m"),
                new EgressRecord(2, EgressRecord.DENIED, "CONNECT", "b.test", 8443, null, 403, 1, 2, null, "PORT", "m"),
                new EgressRecord(3, EgressRecord.DENIED, "GET", "a.test", 80, null, 403, 1, 2, null, "NOT_ALLOWED", "m"),
                new EgressRecord(4, EgressRecord.ALLOWED, "GET", "c.test", 443, null, 200, 5, 50, "T", null, null)),
            "key");
    assertThat(s.allowed()).isEqualTo(1);
    assertThat(s.denied()).isEqualTo(3);
    assertThat(s.withSecret()).isEqualTo(1);
    assertThat(s.bytesIn()).isEqualTo(74);
    assertThat(s.deniedHosts()).containsExactly("a.test", "b.test:8443");
  }
}
