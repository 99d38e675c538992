package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.session.SessionInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a session's options put into the workflow's input, egress above all. */
class SessionOptionsTest {
  @Test
  void noAllowedHostMeansNoEgressPolicy() {
    SessionInput input = SessionOptions.newBuilder("img").build().input();
    assertThat(input.egress()).isNull();
    assertThat(input.image()).isEqualTo("img");
  }

  @Test
  void allowedHostsBecomeTheSessionsEgressPolicy() {
    SessionOptions options =
        SessionOptions.newBuilder("img")
            .setAllowHosts(List.of("pypi.org", "*.pythonhosted.org"))
            .addAllowHost("git.example.com:8443")
            .build();
    assertThat(options.allowHosts())
        .containsExactly("pypi.org", "*.pythonhosted.org", "git.example.com:8443");
    assertThat(options.input().egress())
        .isEqualTo(
            EgressPolicy.allowing(
                List.of("pypi.org", "*.pythonhosted.org", "git.example.com:8443")));
    assertThat(options.input().egress().problems()).isEmpty();
  }

  @Test
  void setAllowHostsReplacesAndToBuilderKeeps() {
    SessionOptions options =
        SessionOptions.newBuilder("img")
            .addAllowHost("a.example.org")
            .setAllowHosts(List.of("b.example.org"))
            .build();
    assertThat(options.allowHosts()).containsExactly("b.example.org");
    assertThat(options.toBuilder().addAllowHost("c.example.org").build().allowHosts())
        .containsExactly("b.example.org", "c.example.org");
    assertThat(options.allowHosts()).as("the built options do not change").hasSize(1);
  }

  @Test
  void aBadHostIsRefusedWhenItIsAdded() {
    SessionOptions.Builder b = SessionOptions.newBuilder("img");
    assertThatThrownBy(() -> b.addAllowHost("10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.1' is an IP address");
    assertThatThrownBy(() -> b.setAllowHosts(List.of("ok.example.org", "x.example.org:99999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the port must be a number from 1 to 65535");
    assertThat(b.build().allowHosts()).as("nothing half-added").isEmpty();
  }
}
