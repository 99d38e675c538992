package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxPoolSettingsTest {
  @Test
  void defaultsAreSmallAndBoundedByMemory() {
    var s = SandboxPool.Settings.fromEnvironment(Map.of());
    assertThat(s.perSpec()).isEqualTo(1);
    assertThat(s.maxIdle()).isEqualTo(4);
    assertThat(s.idle()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.memoryBytes()).isPositive();
  }

  @Test
  void theEnvironmentSizesItAndZeroTurnsItOff() {
    var s =
        SandboxPool.Settings.fromEnvironment(
            Map.of(
                "STEPBOX_POOL_SIZE", "0",
                "STEPBOX_POOL_MAX", " 9 ",
                "STEPBOX_POOL_IDLE_SECONDS", "30"));
    assertThat(s.perSpec()).isZero();
    assertThat(s.maxIdle()).isEqualTo(9);
    assertThat(s.idle()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aBadCountNamesTheVariable() {
    assertThatThrownBy(
            () -> SandboxPool.Settings.fromEnvironment(Map.of("STEPBOX_POOL_SIZE", "-1")))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("STEPBOX_POOL_SIZE=-1")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> SandboxPool.Settings.fromEnvironment(Map.of("STEPBOX_POOL_MAX", "x")))
        .hasMessageContaining("STEPBOX_POOL_MAX=x");
  }

  @Test
  void anIdleTimeOfZeroIsRefused() {
    assertThatThrownBy(() -> new SandboxPool.Settings(1, 1, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
