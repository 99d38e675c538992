package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines of {@code logs --egress} and the counts and denials {@code status} shows. */
class EgressTextTest {
  /** 2026-01-02T03:04:05.006Z. */
  private static final long T = 1_767_323_045_006L;

  static final EgressRecord TUNNEL =
      new EgressRecord(
          T, "allowed", "CONNECT", "pypi.org", 443, "pypi.org", 200, 512, 40_960, null, null,
          null);
  static final EgressRecord WITH_SECRET =
      new EgressRecord(
          T + 994, "allowed", "CONNECT", "github.com", 443, "github.com", 200, 900, 7000,
          "GITHUB_TOKEN", null, null);
  static final EgressRecord DENIED =
      new EgressRecord(
          T + 2000, "denied", "GET", "evil.test", 80, null, 403, 0, 0, null, "NOT_ALLOWED",
          "evil.test:80 is not on the sandbox's allow list; add it to network.allow (evil.test),"
              + " or pass --allow-host evil.test");

  @Test
  void aLinePerRequestWithTimeDecisionHostStatusAndBytes() {
    assertThat(EgressText.line(TUNNEL))
        .isEqualTo("2026-01-02T03:04:05.006Z allowed CONNECT pypi.org:443 200 out=512 in=40960");
  }

  @Test
  void aSecretByNameOnlyAndADenialWithWhy() {
    assertThat(EgressText.line(WITH_SECRET))
        .isEqualTo(
            "2026-01-02T03:04:06.000Z allowed CONNECT github.com:443 200 out=900 in=7000"
                + " secret=GITHUB_TOKEN");
    assertThat(EgressText.line(DENIED))
        .isEqualTo(
            "2026-01-02T03:04:07.006Z denied  GET     evil.test:80 403 out=0 in=0 NOT_ALLOWED:"
                + " evil.test:80 is not on the sandbox's allow list; add it to network.allow"
                + " (evil.test), or pass --allow-host evil.test");
  }

  @Test
  void aTlsNameOtherThanTheHostIsShown() {
    EgressRecord sni =
        new EgressRecord(
            T, "denied", "CONNECT", "pypi.org", 443, "evil.test", 403, 10, 0, null, "SNI", null);
    assertThat(EgressText.line(sni)).endsWith("pypi.org:443 403 out=10 in=0 sni=evil.test SNI");
    EgressRecord sameName =
        new EgressRecord(
            T, "allowed", "CONNECT", "PyPI.org", 443, "pypi.org", 200, 1, 1, null, null, null);
    assertThat(EgressText.line(sameName)).doesNotContain("sni=");
  }

  @Test
  void countsAndDenials() {
    EgressSummary s = EgressSummary.of(List.of(TUNNEL, WITH_SECRET, DENIED, DENIED), "log");
    assertThat(EgressText.counts(s))
        .isEqualTo("2 allowed, 2 denied, 1.4 KiB out, 46.8 KiB in, 1 with a secret");
    assertThat(EgressText.counts(EgressSummary.EMPTY))
        .isEqualTo("0 allowed, 0 denied, 0 B out, 0 B in");
    assertThat(s.firstDenials()).hasSize(1);
    assertThat(EgressText.denial(s.firstDenials().get(0)))
        .isEqualTo("evil.test:80 (NOT_ALLOWED)");
  }

  @Test
  void onlyDenialsAnAllowRuleLiftsAreAllowable() {
    List<EgressDenial> denials =
        List.of(
            new EgressDenial("evil.test", 80, "NOT_ALLOWED", "m"),
            new EgressDenial("evil.test", 443, "NOT_ALLOWED", "m"),
            new EgressDenial("git.test", 8443, "PORT", "m"),
            new EgressDenial("10.0.0.1", 80, "IP_LITERAL", "m"),
            new EgressDenial("internal.test", 443, "PRIVATE_ADDRESS", "m"),
            new EgressDenial("ads.test", 443, "DENY_RULE", "m"));
    assertThat(EgressText.allowable(denials)).containsExactly("evil.test", "git.test:8443");
  }

  @Test
  void printingAnEmptyLogSaysWhyOnStderr() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Cli cli =
        new Cli(
            StepboxConfig.from(Map.of()),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))) {
      EgressText.print(cli, List.of(), "step fetch");
      assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(err.toString(StandardCharsets.UTF_8))
          .startsWith("stepbox: no egress records for step fetch");

      EgressText.print(cli, List.of(TUNNEL, DENIED), "step fetch");
      assertThat(out.toString(StandardCharsets.UTF_8).lines())
          .containsExactly(EgressText.line(TUNNEL), EgressText.line(DENIED));
    }
  }
}
