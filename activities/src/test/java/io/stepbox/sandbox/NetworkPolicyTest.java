package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
  @Test
  void noneEmptyAndNullAreLoopbackOnly() {
    assertThat(NetworkPolicy.parse("none")).isEqualTo(NetworkPolicy.NONE);
    assertThat(NetworkPolicy.parse("")).isEqualTo(NetworkPolicy.NONE);
    assertThat(NetworkPolicy.parse(null)).isEqualTo(NetworkPolicy.NONE);
  }

  @Test
  void anyOtherTextNamesAnInternalNetwork() {
    assertThat(NetworkPolicy.parse("lab")).isEqualTo(new NetworkPolicy.Internal("lab"));
    assertThatThrownBy(() -> new NetworkPolicy.Internal(" "))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("network: name must not be empty");
  }
}
