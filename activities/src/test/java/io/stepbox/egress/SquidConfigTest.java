package io.stepbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The squid.conf a policy becomes: Squid accepts it, and it says what the policy says. */
class SquidConfigTest {
  @TempDir Path dir;

  static final EgressSettings SETTINGS =
      new EgressSettings(
          Path.of("/usr/sbin/squid"),
          Path.of("/usr/lib/squid/security_file_certgen"),
          Path.of("/var/lib/stepbox/egress"),
          EgressSettings.DEFAULT_NETWORK,
          Optional.empty(),
          List.of("127.0.0.1/32"),
          Optional.empty(),
          List.of(),
          EgressSettings.DEFAULT_PORT);

  static final EgressPolicy POLICY =
      new EgressPolicy(
          List.of("index.example.org", "*.files.example.org", "git.example.com:8443"),
          List.of("evil.files.example.org"),
          List.of(
              new EgressSecret(
                  "GITHUB_TOKEN", List.of("git.example.com"), "X-Token: tok {value}", null)));

  private SquidConfig.Place place() {
    return new SquidConfig.Place(
        dir, "172.18.0.1", 31300, "172.18.0.5", dir.resolve("ca.pem"), dir.resolve("ca.key"),
        dir.resolve("db"));
  }

  @Test
  void rulesBecomeNameOnlyAclsInTheOrderOfTheChecks() {
    String conf = new SquidConfig(POLICY, Map.of("GITHUB_TOKEN", "v-1"), SETTINGS).render(place());
    assertThat(conf)
        .contains("http_port 172.18.0.1:31300 ssl-bump")
        .contains("acl sandbox src 172.18.0.5/32")
        .contains("acl a0_h dstdomain -n index.example.org")
        .contains("acl a0_p port 80 443")
        .contains("acl a1_h dstdom_regex -n -i ^.+\\.files\\.example\\.org\\.?$")
        .contains("acl a2_p port 8443")
        .contains("acl d0 any-of d0_h")
        .contains("request_header_add X-Token \"tok v-1\" k0")
        .contains("note stepbox-secret GITHUB_TOKEN k0")
        .contains("ssl_bump bump step2 k0_0_sni")
        .contains("acl private_ok dst 127.0.0.1/32")
        .contains("hosts_file none")
        .doesNotContain("dstdomain index"); // every dstdomain is -n
    assertThat(conf.indexOf("http_access deny !sandbox"))
        .isLessThan(conf.indexOf("http_access deny iplit"))
        .isLessThan(conf.indexOf("http_access deny d0"))
        .isLessThan(conf.indexOf("http_access deny !allowed_name"))
        .isLessThan(conf.indexOf("http_access deny !allowed why_port"))
        .isLessThan(conf.indexOf("private_dst why_private"))
        .isLessThan(conf.indexOf("http_access allow allowed"));
    assertThat(conf.indexOf("ssl_bump terminate step2 d0_sni"))
        .isLessThan(conf.indexOf("ssl_bump bump step2"))
        .isLessThan(conf.indexOf("ssl_bump splice step2 a0_sni"))
        .isLessThan(conf.indexOf("ssl_bump terminate all"));
  }

  @Test
  void anEmptyAllowListDeniesEverything() {
    String conf =
        new SquidConfig(EgressPolicy.allowing(List.of()), Map.of(), SETTINGS).render(place());
    assertThat(conf).contains("http_access deny why_name").doesNotContain("http_access allow");
  }

  @Test
  void squidAcceptsTheConfiguration() throws Exception {
    TestPki.forNames(dir, "x.test"); // the CA files the port names: ca.pem and ca.key
    Files.createDirectories(dir.resolve("errors"));
    Files.writeString(dir.resolve("squid.conf"),
        new SquidConfig(POLICY, Map.of("GITHUB_TOKEN", "v-1"), SETTINGS).render(place()));
    Process p =
        new ProcessBuilder("/usr/sbin/squid", "-k", "parse", "-f", dir.resolve("squid.conf").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).doesNotContain("ERROR", "FATAL", "WARNING", "Bungled");
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void secretsMustBeSetAndSendable() {
    assertThatThrownBy(() -> new SquidConfig(POLICY, Map.of(), SETTINGS).render(place()))
        .isInstanceOf(EgressException.class)
        .hasMessageContaining("GITHUB_TOKEN is not set in the worker's environment");
    assertThatThrownBy(
            () ->
                new SquidConfig(POLICY, Map.of("GITHUB_TOKEN", "a\"b"), SETTINGS).render(place()))
        .hasMessageContaining("a header cannot carry");
  }

  @Test
  void aHeaderTemplateCannotWriteConfiguration() {
    EgressPolicy injected =
        new EgressPolicy(
            List.of("git.example.com"),
            List.of(),
            List.of(
                new EgressSecret(
                    "T", List.of("git.example.com"), "X: {value}\"\nhttp_access allow all", null)));
    assertThatThrownBy(() -> new SquidConfig(injected, Map.of("T", "v"), SETTINGS).render(place()))
        .isInstanceOf(EgressException.class)
        .hasMessageContaining("cannot carry");
  }

  @Test
  void deniedPagesNameTheReasonAndTheFix() {
    Map<String, String> pages = new SquidConfig(POLICY, Map.of(), SETTINGS).errorPages();
    assertThat(pages.get("ERR_STEPBOX_NOT_ALLOWED"))
        .contains("%H:%p is not on the sandbox's allow list", "--allow-host %H");
    assertThat(pages.get("ERR_STEPBOX_PORT")).contains("'%H:%p' to network.allow");
    assertThat(pages).containsKeys("ERR_STEPBOX_IP_LITERAL", "ERR_STEPBOX_PRIVATE", "ERR_STEPBOX_DENY_RULE");
  }
}
