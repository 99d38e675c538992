package io.stepbox.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskAttributesTest {

  @Test
  void theDevServerRegistersEveryAttributeWithItsType() {
    assertThat(TaskAttributes.devServerArguments())
        .containsExactly(
            "--search-attribute",
            "StepboxTaskName=Keyword",
            "--search-attribute",
            "StepboxStatus=Keyword",
            "--search-attribute",
            "StepboxStep=Keyword",
            "--search-attribute",
            "StepboxWaitingApproval=Bool");
  }
}
