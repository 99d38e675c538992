package io.stepbox.connect;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One question to a Temporal frontend that tells whether it serves a namespace. */
public final class Frontend {
  private Frontend() {}

  /**
   * Asks the frontend behind {@code stubs} to describe {@code namespace} within {@code deadline}.
   *
   * @throws StatusRuntimeException as gRPC reports it: UNAVAILABLE or DEADLINE_EXCEEDED when nobody
   *     answers, NOT_FOUND when the namespace does not exist
   */
  public static void describeNamespace(WorkflowServiceStubs stubs, String namespace, Duration deadline) {
    stubs
        .blockingStub()
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
  }

  /** Whether {@code e} means that nobody (yet) answers at the address. */
  public static boolean unreachable(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }
}
