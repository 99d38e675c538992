package io.stepbox.activities;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The step's ids in the MDC while it runs, and what the pooled thread held before afterwards. Here
 * rather than in activities, whose tests log through slf4j-simple, which keeps no MDC.
 */
class StepMdcTest {
  @Test
  void putsTheIdsAndRestoresWhatWasThere() {
    MDC.put("taskId", "outer");
    try (StepMdc mdc = StepMdc.open("fix-1", "test", "default", null)) {
      assertThat(MDC.get("taskId")).isEqualTo("fix-1");
      assertThat(MDC.get("step")).isEqualTo("test");
      assertThat(MDC.get("approach")).isEqualTo("default");
      assertThat(MDC.get("attempt")).as("no activity context").isNull();
    }
    assertThat(MDC.get("taskId")).isEqualTo("outer");
    assertThat(MDC.get("step")).isNull();
    MDC.clear();
  }
}
