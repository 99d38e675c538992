package io.stepbox.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stepbox.workflows.step.ExecOutcome;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox layer's meters, all named {@code stepbox.sandbox.*} (Prometheus shows them as {@code
 * stepbox_sandbox_*}): create, exec and destroy timers, the active sandbox gauge, failures by
 * reason, exec outcomes and reaped sandboxes.
 */
final class SandboxMetrics {
  private final MeterRegistry registry;
  final Timer create;
  final Timer exec;
  final Timer destroy;
  final AtomicInteger active = new AtomicInteger();

  SandboxMetrics(MeterRegistry registry) {
    this.registry = registry;
    create =
        Timer.builder("stepbox.sandbox.create")
            .description("Create and start of a sandbox")
            .register(registry);
    exec =
        Timer.builder("stepbox.sandbox.exec")
            .description("One command in a sandbox, start to end")
            .register(registry);
    destroy =
        Timer.builder("stepbox.sandbox.destroy")
            .description("Removal of a sandbox")
            .register(registry);
    registry.gauge("stepbox.sandbox.active", active);
  }

  void failure(SandboxException.Reason reason) {
    Counter.builder("stepbox.sandbox.failures")
        .tag("reason", reason.name().toLowerCase())
        .description("Sandbox operations that failed, by reason")
        .register(registry)
        .increment();
  }

  void outcome(ExecOutcome outcome) {
    Counter.builder("stepbox.sandbox.exec.outcomes")
        .tag("outcome", outcome.name().toLowerCase())
        .description("Commands run in sandboxes, by outcome (exited, timed_out, oom_killed)")
        .register(registry)
        .increment();
  }

  void reaped(String why, int count) {
    Counter.builder("stepbox.sandbox.reaped")
        .tag("why", why)
        .description("Sandboxes and processes removed by the reaper")
        .register(registry)
        .increment(count);
  }
}
