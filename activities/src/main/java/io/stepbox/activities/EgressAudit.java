package io.stepbox.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.store.BlobStore;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A step's egress audit: what its sandbox's proxy allowed and denied during the command, stored as
 * JSON lines next to the step's output, summed up for the step result (history), and counted in
 * {@code stepbox.egress.requests} (Prometheus: {@code stepbox_egress_requests_total}) by {@code
 * decision}.
 */
final class EgressAudit {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxRuntime runtime;
  private final BlobStore blobs;
  private final Counter allowed;
  private final Counter denied;

  EgressAudit(SandboxRuntime runtime, BlobStore blobs, MeterRegistry registry) {
    this.runtime = runtime;
    this.blobs = blobs;
    this.allowed = counter(registry, EgressRecord.ALLOWED);
    this.denied = counter(registry, EgressRecord.DENIED);
  }

  private static Counter counter(MeterRegistry registry, String decision) {
    return Counter.builder("stepbox.egress.requests")
        .description("Requests and tunnels through the egress proxies, by decision")
        .tag("decision", decision)
        .register(registry);
  }

  /** Drains the sandbox's proxy, stores the log under {@code prefix/egress} when it has records. */
  EgressSummary record(Sandbox sandbox, String prefix) {
    List<EgressRecord> records = runtime.egress(sandbox);
    if (records.isEmpty()) {
      return EgressSummary.EMPTY;
    }
    StringBuilder lines = new StringBuilder();
    for (EgressRecord r : records) {
      lines.append(json(r)).append('\n');
      (r.denied() ? denied : allowed).increment();
    }
    String key = prefix + "/egress";
    blobs.put(key, lines.toString().getBytes(StandardCharsets.UTF_8));
    return EgressSummary.of(records, key);
  }

  private static String json(EgressRecord r) {
    try {
      return JSON.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an egress record did not serialize", e);
    }
  }
}
