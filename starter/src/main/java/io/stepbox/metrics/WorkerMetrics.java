package io.stepbox.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stepbox.workflows.TaskQueues;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.util.Optional;

/**
 * The one meter registry of a worker process: stepbox's own meters ({@code stepbox_*}), the
 * Temporal SDK's (through {@link #temporalScope()}, {@code temporal_*}) and the JVM's, served at
 * {@code /metrics} when an address is given.
 */
public final class WorkerMetrics implements AutoCloseable {
  /** How often the Temporal SDK's meters are copied into the registry. */
  static final com.uber.m3.util.Duration TEMPORAL_REPORT_EVERY =
      com.uber.m3.util.Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry;
  private final Scope temporalScope;
  private final MetricsServer server;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope scope, MetricsServer server) {
    this.registry = registry;
    this.temporalScope = scope;
    this.server = server;
  }

  /**
   * A registry served at {@code address}.
   *
   * @throws MetricsException when the address cannot be bound
   */
  public static WorkerMetrics serving(MetricsAddress address) {
    PrometheusMeterRegistry registry = newRegistry();
    try {
      return withScope(registry, MetricsServer.start(address, registry));
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** A registry nobody scrapes (STEPBOX_METRICS_PORT=off). */
  public static WorkerMetrics unserved() {
    return withScope(newRegistry(), null);
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The SDK tags its Update requests with update_name, its other requests of the same name not;
    // Prometheus wants one set of tag keys per name and would drop the Update series.
    registry.config().meterFilter(MeterFilter.ignoreTags("update_name"));
    // A worker's own queue is named after its id and run (stepbox-<id>-<run>); as a tag value it
    // would start new series at every restart. The shared queue keeps its name.
    registry
        .config()
        .meterFilter(
            MeterFilter.replaceTagValues(
                "task_queue", q -> q.equals(TaskQueues.SHARED) ? q : "worker-own"));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  private static WorkerMetrics withScope(PrometheusMeterRegistry registry, MetricsServer server) {
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(TEMPORAL_REPORT_EVERY);
    return new WorkerMetrics(registry, scope, server);
  }

  /** Where stepbox's meters go. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The scope for the Temporal SDK's meters (the service stubs' metrics scope). */
  public Scope temporalScope() {
    return temporalScope;
  }

  /** The endpoint's URL, such as {@code http://127.0.0.1:9464/metrics}; empty when not served. */
  public Optional<String> url() {
    return Optional.ofNullable(server).map(MetricsServer::url);
  }

  /** The registry in the Prometheus text format, as {@code /metrics} serves it. */
  public String scrape() {
    return registry.scrape();
  }

  /** Stops serving, flushes and closes the Temporal scope, closes the registry. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    try {
      temporalScope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      // Only the last second of Temporal's meters is lost; the registry closes anyway.
    }
    registry.close();
  }
}
