package io.stepbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.connect.TemporalConnection;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search attribute registration through the operator service, on a namespace the dev server did not
 * register them in (as on any server other than our dev server).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TaskAttributesIT {
  @TempDir Path tmp;

  @Test
  void connectingRegistersWhatANamespaceLacksAndConnectingAgainIsFine() {
    try (TemporalDevServer server =
            TemporalDevServer.newBuilder(tmp.resolve("temporal.db")).build().start();
        TemporalConnection first = TemporalConnection.connect(server.address(), "default")) {
      first
          .stubs()
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace("bare")
                  .setWorkflowExecutionRetentionPeriod(
                      com.google.protobuf.Duration.newBuilder().setSeconds(86_400))
                  .build());
      assertThat(customAttributes(first, "bare")).doesNotContainKeys("StepboxTaskName");

      try (TemporalConnection bare = TemporalConnection.connect(server.address(), "bare")) {
        assertThat(customAttributes(bare, "bare"))
            .containsAllEntriesOf(TaskSearchAttributes.DEFINITIONS);
      }
      try (TemporalConnection again = TemporalConnection.connect(server.address(), "bare")) {
        assertThat(customAttributes(again, "bare")).containsKeys("StepboxWaitingApproval");
      }
    }
  }

  private static Map<String, IndexedValueType> customAttributes(
      TemporalConnection t, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(t.stubs().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } finally {
      operator.shutdown();
    }
  }
}
