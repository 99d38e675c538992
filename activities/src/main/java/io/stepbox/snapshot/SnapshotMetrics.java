package io.stepbox.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The snapshot layer's meters, named {@code stepbox.snapshot.*} (Prometheus: {@code
 * stepbox_snapshot_*}): capture and restore timers by result, raw bytes of chunks stored new and
 * reused, compressed bytes uploaded, and the dedup ratio (reused / (stored + reused) since the
 * process started).
 */
final class SnapshotMetrics {
  private final MeterRegistry registry;
  private final Counter stored;
  private final Counter reused;
  private final Counter uploaded;
  private final DoubleAdder storedTotal = new DoubleAdder();
  private final DoubleAdder reusedTotal = new DoubleAdder();

  SnapshotMetrics(MeterRegistry registry) {
    this.registry = registry;
    stored =
        bytes("stepbox.snapshot.stored", "Raw bytes of chunks a snapshot stored new", registry);
    reused =
        bytes("stepbox.snapshot.reused", "Raw bytes of chunks the store already held", registry);
    uploaded =
        bytes("stepbox.snapshot.uploaded", "Compressed bytes sent to the blob store", registry);
    Gauge.builder("stepbox.snapshot.dedup.ratio", this, SnapshotMetrics::dedupRatio)
        .description("Share of captured bytes the store already held (0..1), since start")
        .strongReference(true)
        .register(registry);
  }

  private static Counter bytes(String name, String description, MeterRegistry registry) {
    return Counter.builder(name)
        .baseUnit(BaseUnits.BYTES)
        .description(description)
        .register(registry);
  }

  /** A timer of {@code action} (capture, restore) with its result (ok, error). */
  Timer timer(String action, boolean ok) {
    return Timer.builder("stepbox.snapshot." + action)
        .description("Snapshot " + action + ", start to end")
        .tag("result", ok ? "ok" : "error")
        .register(registry);
  }

  /** One committed snapshot's chunks: raw bytes new and reused, compressed bytes sent. */
  void written(long storedBytes, long reusedBytes, long uploadedBytes) {
    stored.increment(storedBytes);
    reused.increment(reusedBytes);
    uploaded.increment(uploadedBytes);
    storedTotal.add(storedBytes);
    reusedTotal.add(reusedBytes);
  }

  double dedupRatio() {
    double reusedBytes = reusedTotal.sum();
    double all = storedTotal.sum() + reusedBytes;
    return all == 0 ? 0 : reusedBytes / all;
  }
}
