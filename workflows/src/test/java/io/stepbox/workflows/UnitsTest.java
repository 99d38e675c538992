package io.stepbox.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @Test
  void readsDurations() {
    assertThat(Units.parseDuration("t", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Units.parseDuration("t", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Units.parseDuration("t", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Units.parseDuration("t", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Units.parseDuration("t", " 2D ")).isEqualTo(Duration.ofDays(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "-5s", "0s", "1x", "1h 30m", "5 s"})
  void refusesBadDurationsNamingFieldAndForm(String text) {
    assertThatThrownBy(() -> Units.parseDuration("--timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--timeout: '" + text + "'")
        .hasMessageContaining("30s, 10m, 1h");
  }

  @Test
  void readsByteSizesInBinaryUnits() {
    assertThat(Units.parseBytes("m", "4096")).isEqualTo(4096);
    assertThat(Units.parseBytes("m", "64k")).isEqualTo(64 * 1024);
    assertThat(Units.parseBytes("m", "512m")).isEqualTo(512L << 20);
    assertThat(Units.parseBytes("m", "1g")).isEqualTo(1L << 30);
    assertThat(Units.parseBytes("m", "1GiB")).isEqualTo(1L << 30);
    assertThat(Units.parseBytes("m", "2mb")).isEqualTo(2L << 20);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "-1m", "1.5g", "lots", "1q", "99999999999t"})
  void refusesBadSizes(String text) {
    assertThatThrownBy(() -> Units.parseBytes("--memory", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--memory: '" + text + "'");
  }

  @Test
  void formatsRoundTrip() {
    for (String s : new String[] {"30s", "10m", "1h30m", "2d", "250ms", "1d1h1m1s"}) {
      assertThat(Units.formatDuration(Units.parseDuration("t", s))).isEqualTo(s);
    }
    assertThat(Units.formatBytes(1536 * 1024)).isEqualTo("1.5 MiB");
    assertThat(Units.formatBytes(12)).isEqualTo("12 B");
  }
}
