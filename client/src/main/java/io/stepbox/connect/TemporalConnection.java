package io.stepbox.connect;

import com.uber.m3.tally.Scope;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/**
 * A checked connection to one Temporal namespace: the service stubs and the workflow client that
 * commands and workers share. {@link #connect} asks the server once, so that a wrong address fails
 * at once with a message that says how to start a server, instead of at the first workflow call.
 */
public final class TemporalConnection implements AutoCloseable {
  /** How long {@link #connect(String, String)} waits for the server's first answer. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long a query waits for a worker to answer it. */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  private final String address;
  private final String namespace;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private TemporalConnection(String address, String namespace, WorkflowServiceStubs stubs) {
    this.address = address;
    this.namespace = namespace;
    this.stubs = stubs;
    this.client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Connects to the frontend at {@code address} ({@code host:port}, the value of TEMPORAL_ADDRESS)
   * and checks that it serves {@code namespace}, waiting at most {@link #CONNECT_TIMEOUT}.
   * Registers the task search attributes the namespace lacks (see {@code TaskSearchAttributes}).
   *
   * @throws TemporalUnreachableException when nothing answers there
   * @throws TemporalConnectException when the namespace does not exist, the server refuses us, or it
   *     refuses to register the search attributes
   */
  public static TemporalConnection connect(String address, String namespace) {
    return connect(address, namespace, CONNECT_TIMEOUT);
  }

  /** {@link #connect(String, String)} with another timeout for the first answer. */
  public static TemporalConnection connect(String address, String namespace, Duration timeout) {
    return connect(address, namespace, timeout, null);
  }

  /**
   * {@link #connect(String, String)} whose client, and the workers made from it, report the
   * Temporal SDK's metrics ({@code temporal_*}) to {@code metrics}, such as a tally root scope with
   * a {@code MicrometerClientStatsReporter}.
   */
  public static TemporalConnection connect(String address, String namespace, Scope metrics) {
    return connect(address, namespace, CONNECT_TIMEOUT, metrics);
  }

  private static TemporalConnection connect(
      String address, String namespace, Duration timeout, Scope metrics) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(address)
            .setRpcQueryTimeout(QUERY_TIMEOUT);
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      Frontend.describeNamespace(stubs, namespace, timeout);
      TaskAttributes.ensure(stubs, address, namespace);
    } catch (TemporalConnectException e) {
      stubs.shutdownNow();
      throw e;
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      throw refused(address, namespace, e);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw new TemporalUnreachableException(address, e);
    }
    return new TemporalConnection(address, namespace, stubs);
  }

  /**
   * A connection over stubs that already reach a server in this process ({@link InMemoryTemporal});
   * {@code address} only names it in messages.
   */
  public static TemporalConnection inProcess(
      String address, String namespace, WorkflowServiceStubs stubs) {
    return new TemporalConnection(address, namespace, stubs);
  }

  private static TemporalConnectException refused(
      String address, String namespace, StatusRuntimeException e) {
    if (Frontend.unreachable(e)) {
      return new TemporalUnreachableException(address, e);
    }
    if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
      return new TemporalConnectException(
          "Temporal at "
              + address
              + " has no namespace '"
              + namespace
              + "': create it with `temporal operator namespace create "
              + namespace
              + "` or set TEMPORAL_NAMESPACE to one that exists",
          e);
    }
    return new TemporalConnectException(
        "Temporal at " + address + " refused to describe namespace '" + namespace + "': " + e, e);
  }

  /** The client of the namespace. */
  public WorkflowClient client() {
    return client;
  }

  /** The service stubs, for workers ({@code WorkerFactory.newInstance(client())}) and raw calls. */
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  /** The frontend's address. */
  public String address() {
    return address;
  }

  /** The namespace. */
  public String namespace() {
    return namespace;
  }

  /** Closes the channel; calls in flight fail. */
  @Override
  public void close() {
    stubs.shutdownNow();
    stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
  }
}
