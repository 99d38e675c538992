package io.stepbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access-log lines as Squid writes them (seen in EgressIT) become one record per decision. */
class AccessLogTest {
  private final AccessLog log =
      new AccessLog(EgressPolicy.allowing(List.of("mirror.test", "secret.test")), "172.18.0.2");

  @Test
  void aTunnelIsOneAllowedRecordWithItsBytesAndServerName() {
    List<EgressRecord> r =
        log.read(
            List.of(
                "1796686065.753 172.18.0.2 CONNECT mirror.test 443 mirror.test NONE_NONE 200 38 0 splice - -",
                "1796686065.758 172.18.0.2 CONNECT mirror.test 443 mirror.test TCP_TUNNEL 200 762 2046 splice - -"));
    assertThat(r).singleElement().satisfies(e -> {
      assertThat(e.decision()).isEqualTo(EgressRecord.ALLOWED);
      assertThat(e.sni()).isEqualTo("mirror.test");
      assertThat(e.bytesOut()).isEqualTo(762);
      assertThat(e.bytesIn()).isEqualTo(2046);
      assertThat(e.timeMillis()).isEqualTo(1796686065758L);
    });
  }

  @Test
  void anInterceptedRequestNamesTheSecretAddedNeverItsValue() {
    List<EgressRecord> r =
        log.read(
            List.of(
                "1.0 172.18.0.2 CONNECT secret.test 443 secret.test NONE_NONE 200 38 0 bump - GITHUB_TOKEN",
                "1.1 172.18.0.2 GET secret.test 443 secret.test TCP_MISS 200 143 246 bump - GITHUB_TOKEN"));
    assertThat(r).singleElement().extracting(EgressRecord::method, EgressRecord::secret)
        .containsExactly("GET", "GITHUB_TOKEN");
  }

  @Test
  void denialsCarryTheirReasonAndTheErrorPageServedInsideTlsIsNotCounted() {
    List<EgressRecord> r =
        log.read(
            List.of(
                "2.0 172.18.0.2 CONNECT other.test 443 other.test TCP_DENIED 200 35 0 bump ERR_STEPBOX_NOT_ALLOWED -",
                "2.1 172.18.0.2 GET other.test 443 other.test NONE_NONE 403 135 428 - ERR_STEPBOX_NOT_ALLOWED -",
                "2.2 172.18.0.2 GET 127.0.0.1 8080 - TCP_DENIED 403 162 333 - ERR_STEPBOX_IP_LITERAL -",
                "2.3 172.18.0.2 GET %5B::1%5D 8080 - TCP_DENIED 403 154 329 - ERR_STEPBOX_IP_LITERAL -",
                "2.4 172.18.0.2 CONNECT mirror.test 443 evil.test NONE_NONE 200 63 0 terminate - -",
                "2.5 172.18.0.2 GET mirror.test 80 - TCP_DENIED 403 160 422 - ERR_STEPBOX_PRIVATE -"));
    assertThat(r)
        .extracting(EgressRecord::host, EgressRecord::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("other.test", "NOT_ALLOWED"),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", "IP_LITERAL"),
            org.assertj.core.groups.Tuple.tuple("::1", "IP_LITERAL"),
            org.assertj.core.groups.Tuple.tuple("mirror.test", "SNI"),
            org.assertj.core.groups.Tuple.tuple("mirror.test", "PRIVATE_ADDRESS"));
    assertThat(r).allMatch(EgressRecord::denied);
    assertThat(r.get(3).message()).startsWith("evil.test:443");
    assertThat(r.get(0).message()).contains("--allow-host other.test");
  }

  @Test
  void clientControlledFieldsArePercentDecodedAndAnUnreadableLineIsLeftOut() {
    List<EgressRecord> r =
        log.read(
            List.of(
                "4.0 172.18.0.2 CONNECT mirror.test 443 evil%20name NONE_NONE 200 1 0 terminate - -",
                "4.1 172.18.0.2 GET a%zz+b 80 - TCP_DENIED 403 1 1 - ERR_STEPBOX_NOT_ALLOWED -",
                "not-a-time 172.18.0.2 GET mirror.test 80 - TCP_MISS 200 1 1 - - -"));
    assertThat(r).extracting(EgressRecord::sni).containsExactly("evil name", null);
    assertThat(r.get(1).host()).isEqualTo("a%zz+b");
    assertThat(AccessLog.percentDecoded("caf%C3%A9%2")).isEqualTo("café%2");
  }

  @Test
  void linesOfOtherClientsRequestlessConnectionsAndTornLinesAreLeftOut() {
    assertThat(
            log.read(
                List.of(
                    "3.0 172.18.0.1 NONE - 0 - NONE_NONE 0 0 0 - - -",
                    "3.0 172.18.0.2 - - 0 - NONE_NONE 0 0 0 bump - -",
                    "3.1 172.18.0.9 GET mirror.test 80 - TCP_MISS 200 1 2 - - -",
                    "3.2 172.18.0.2 GET mirror.test")))
        .isEmpty();
  }
}
