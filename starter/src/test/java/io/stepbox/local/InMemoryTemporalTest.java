package io.stepbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.stepbox.connect.TemporalConnection;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory fallback server: namespace, search attributes, and what it refuses. */
class InMemoryTemporalTest {

  @Test
  void servesTheNamespaceAndKnowsTheRegisteredSearchAttributes() {
    try (InMemoryTemporal temporal =
        InMemoryTemporal.start(
            "stepbox-test",
            Map.of("StepboxProbe", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            new com.uber.m3.tally.NoopScope())) {
      TemporalConnection connection = temporal.connection();
      assertThat(connection.namespace()).isEqualTo("stepbox-test");
      assertThat(connection.address()).isEqualTo(InMemoryTemporal.ADDRESS);

      assertThat(start(connection, "StepboxProbe").getRunId()).isNotEmpty();
      assertThatThrownBy(() -> start(connection, "NotRegistered"))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("NotRegistered");
    }
  }

  /** Starts a workflow (no worker needed) that carries one keyword search attribute. */
  private static io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse start(
      TemporalConnection connection, String attribute) {
    Payload value = DefaultDataConverter.STANDARD_INSTANCE.toPayload("x").orElseThrow();
    return connection
        .stubs()
        .blockingStub()
        .startWorkflowExecution(
            StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(connection.namespace())
                .setWorkflowId("probe-" + UUID.randomUUID())
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("Probe"))
                .setTaskQueue(TaskQueue.newBuilder().setName("probe"))
                .setSearchAttributes(
                    SearchAttributes.newBuilder().putIndexedFields(attribute, value))
                .build());
  }
}
