package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreTheNameAndSixRandomCharacters() {
    assertThat(Ids.newId("fix-calc")).matches("fix-calc-[a-z0-9]{6}");
    assertThat(Ids.newId(" fix calc! ")).matches("fix-calc-[a-z0-9]{6}");
    assertThat(Ids.newId(null)).matches("task-[a-z0-9]{6}");
    assertThat(Ids.newId("x")).isNotEqualTo(Ids.newId("x"));
  }
}
