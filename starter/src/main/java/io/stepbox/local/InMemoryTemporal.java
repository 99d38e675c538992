package io.stepbox.local;

import io.stepbox.connect.TemporalConnection;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.Map;

/**
 * The last-resort local Temporal: the Java SDK's in-memory test server, inside this process, for
 * when the temporal CLI cannot be had. Workflows, activities, timers, signals, updates and queries
 * work as on a real server, at wall-clock speed (time skipping is off); but nothing is persisted
 * (every task is gone when the process ends), there are no Schedules and no list or count
 * visibility queries, and only this process can reach it.
 *
 * <pre>{@code
 * try (InMemoryTemporal temporal = InMemoryTemporal.start("default", Map.of(), scope)) {
 *   new StepboxWorker(temporal.connection().client(), ...);
 * }
 * }</pre>
 */
public final class InMemoryTemporal implements AutoCloseable {
  /** How the server is named in messages, where a real one shows its address. */
  public static final String ADDRESS = "in-memory";

  private final TestWorkflowEnvironment env;
  private final TemporalConnection connection;

  private InMemoryTemporal(TestWorkflowEnvironment env, String namespace) {
    this.env = env;
    this.connection =
        TemporalConnection.inProcess(ADDRESS, namespace, env.getWorkflowServiceStubs());
  }

  /**
   * Starts a server that serves {@code namespace} and knows the custom {@code searchAttributes}
   * (name to type), so that workflows that set them run as on a real server; the SDK's meters go to
   * {@code metrics}.
   */
  public static InMemoryTemporal start(
      String namespace,
      Map<String, IndexedValueType> searchAttributes,
      com.uber.m3.tally.Scope metrics) {
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder()
            .setUseTimeskipping(false)
            .setMetricsScope(metrics)
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    searchAttributes.forEach(options::registerSearchAttribute);
    return new InMemoryTemporal(TestWorkflowEnvironment.newInstance(options.build()), namespace);
  }

  /** The connection that commands and workers in this process share; closed with the server. */
  public TemporalConnection connection() {
    return connection;
  }

  /** Stops the server: every workflow on it is gone. */
  @Override
  public void close() {
    connection.close();
    env.close();
  }
}
