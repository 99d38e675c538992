package io.stepbox.connect;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Registers the task search attributes ({@link TaskSearchAttributes#DEFINITIONS}) with a Temporal
 * server: as {@code --search-attribute} arguments of the dev server, or through the operator
 * service of any other server. Idempotent: attributes that exist are left alone.
 */
public final class TaskAttributes {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private TaskAttributes() {}

  /** The dev server's arguments that register every attribute at start. */
  public static List<String> devServerArguments() {
    List<String> args = new ArrayList<>();
    TaskSearchAttributes.DEFINITIONS.forEach(
        (name, type) -> args.addAll(List.of("--search-attribute", name + "=" + cliType(type))));
    return args;
  }

  /** The temporal CLI's name of {@code type}. */
  static String cliType(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_BOOL -> "Bool";
      case INDEXED_VALUE_TYPE_TEXT -> "Text";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      default -> throw new IllegalArgumentException("no temporal CLI name for " + type);
    };
  }

  /**
   * Adds the attributes {@code namespace} lacks, through the operator service on {@code stubs}'
   * channel. A concurrent registration ("already exists") is fine. A server that cannot list them
   * (the in-memory test server) is sent all of them.
   *
   * @throws TemporalConnectException when the server refuses (for example no permission to add search
   *     attributes, as on Temporal Cloud): the message names the attributes and how to add them
   */
  static void ensure(WorkflowServiceStubs stubs, String address, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = new LinkedHashMap<>(TaskSearchAttributes.DEFINITIONS);
      try {
        missing.keySet().removeAll(registered(operator, namespace));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw refused(address, namespace, e);
        }
      }
      if (!missing.isEmpty()) {
        add(operator, namespace, missing);
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw refused(address, namespace, e);
      }
    } finally {
      operator.shutdown();
    }
  }

  private static Set<String> registered(OperatorServiceStubs operator, String namespace) {
    return operator
        .blockingStub()
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .listSearchAttributes(
            ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
        .getCustomAttributesMap()
        .keySet();
  }

  private static void add(
      OperatorServiceStubs operator, String namespace, Map<String, IndexedValueType> attributes) {
    operator
        .blockingStub()
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .addSearchAttributes(
            AddSearchAttributesRequest.newBuilder()
                .setNamespace(namespace)
                .putAllSearchAttributes(attributes)
                .build());
  }

  private static TemporalConnectException refused(
      String address, String namespace, StatusRuntimeException e) {
    List<String> each = new ArrayList<>();
    TaskSearchAttributes.DEFINITIONS.forEach(
        (name, type) -> each.add("--name " + name + " --type " + cliType(type)));
    return new TemporalConnectException(
        "cannot register stepbox's search attributes in namespace '"
            + namespace
            + "' of Temporal at "
            + address
            + " ("
            + e.getStatus().getCode()
            + ": "
            + e.getStatus().getDescription()
            + "); ask an operator to run `temporal operator search-attribute create --namespace "
            + namespace
            + " ARGS` once with each of: "
            + String.join("; ", each),
        e);
  }
}
