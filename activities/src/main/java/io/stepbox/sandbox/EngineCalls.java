package io.stepbox.sandbox;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** Runs engine calls under a timer (when given), translating and counting their failures. */
final class EngineCalls {
  private final DockerErrors errors;
  private final SandboxMetrics metrics;

  EngineCalls(DockerErrors errors, SandboxMetrics metrics) {
    this.errors = errors;
    this.metrics = metrics;
  }

  /** Runs {@code call}; a failure comes out as the {@link SandboxException} for {@code action}. */
  <T> T timed(String action, Timer timer, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (PreparerFailed e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (RuntimeException e) {
      SandboxException s = errors.translate(action, e);
      metrics.failure(s.reason());
      throw s;
    } finally {
      if (timer != null) {
        timer.record(Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  /** Carries a {@link LayerPreparer}'s own failure past the engine-error translation. */
  static final class PreparerFailed extends RuntimeException {
    PreparerFailed(RuntimeException cause) {
      super(cause);
    }
  }
}
