package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxNamesTest {
  /** What dockerd accepts as a container name. */
  private static final String DOCKER_NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]+";

  @ParameterizedTest
  @CsvSource({
    "task-1, clone",
    "nightly:2026-12-02T03:00:00Z, test",
    "a_b, c_d",
    "a__b_, _c",
    "_s, _t",
    "x.y-z, 0",
    "weird_c, step_s_t"
  })
  void aTakenNameReadsBackToItsTaskAndStep(String task, String step) {
    String name = SandboxNames.taken(SandboxNames.pooled(), task, step);
    assertThat(name).matches(DOCKER_NAME);
    assertThat(SandboxNames.labels(name))
        .isEqualTo(Map.of(SandboxLabels.TASK, task, SandboxLabels.STEP, step));
    assertThat(SandboxNames.labels("/" + name)).hasSize(2); // docker lists names with a slash
    assertThat(SandboxNames.isPooled(name)).isFalse();
  }

  @Test
  void eitherIdMayBeMissing() {
    String pooled = SandboxNames.pooled();
    assertThat(SandboxNames.labels(SandboxNames.taken(pooled, "t", null)))
        .isEqualTo(Map.of(SandboxLabels.TASK, "t"));
    assertThat(SandboxNames.labels(SandboxNames.taken(pooled, null, "s")))
        .isEqualTo(Map.of(SandboxLabels.STEP, "s"));
    assertThat(SandboxNames.labels(SandboxNames.taken(pooled, null, null))).isEmpty();
  }

  @Test
  void theLongestIdsFit() {
    String task = "t" + ":_".repeat(63) + "x";
    String name = SandboxNames.taken(SandboxNames.pooled(), task, "s".repeat(128));
    assertThat(SandboxNames.labels(name)).containsEntry(SandboxLabels.TASK, task);
  }

  @Test
  void otherNamesCarryNothing() {
    assertThat(SandboxNames.isPooled(SandboxNames.pooled())).isTrue();
    assertThat(SandboxNames.isPooled("/" + SandboxNames.pooled())).isTrue();
    assertThat(SandboxNames.labels(SandboxNames.pooled())).isEmpty();
    assertThat(SandboxNames.labels(SandboxNames.fresh())).isEmpty();
    assertThat(SandboxNames.labels("someone-elses_tcontainer")).isEmpty();
    assertThat(SandboxNames.labels("stepbox-0123456789abcdef_tbad_x")).isEmpty();
    assertThat(SandboxNames.labels(null)).isEmpty();
  }

  @Test
  void onlyAPooledNameCanBeTaken() {
    assertThatThrownBy(() -> SandboxNames.taken(SandboxNames.fresh(), "t", "s"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
