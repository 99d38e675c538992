package io.stepbox.activities;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Mount;
import io.stepbox.sandbox.NetworkPolicy;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.workflows.step.MountSpec;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The sandbox a step runs in, and the command request, from a {@link StepRequest}. */
final class StepSandboxes {
  /** A sandbox ready for the command, and what getting it cost. */
  record Acquired(Sandbox sandbox, long sandboxMillis, long restoreMillis, boolean warm) {}

  private final SandboxRuntime runtime;
  private final SnapshotEngine snapshots;
  private final WarmPool warm;
  private final Map<String, String> workerEnv;
  private final java.util.function.Function<SandboxSpec, Sandbox> fresh;

  /**
   * @param fresh makes a sandbox from an image: a {@link io.stepbox.sandbox.SandboxPool}'s create,
   *     or the runtime's
   */
  StepSandboxes(
      SandboxRuntime runtime,
      SnapshotEngine snapshots,
      WarmPool warm,
      Map<String, String> env,
      java.util.function.Function<SandboxSpec, Sandbox> fresh) {
    this.runtime = runtime;
    this.snapshots = snapshots;
    this.warm = warm;
    this.workerEnv = env;
    this.fresh = fresh;
  }

  /** Refuses a request that can never run, naming the field. */
  static void check(StepRequest req) {
    if (req.image() == null || req.image().isBlank()) {
      throw StepFailures.invalid("image: must not be empty");
    }
    if (req.argv() == null && (req.command() == null || req.command().isBlank())) {
      throw StepFailures.invalid("steps." + req.stepId() + ".run: must not be empty");
    }
    if (req.taskId() == null || req.stepId() == null) {
      throw StepFailures.invalid("taskId and stepId: must be set");
    }
  }

  /**
   * The warm sandbox when this worker holds it at the base, else a restore, else a fresh one (from
   * the pool of started sandboxes when the worker keeps one).
   */
  Acquired acquire(StepRequest req) {
    if (req.warmSandboxId() != null && req.baseSnapshotId() != null) {
      Duration needed = Duration.ofMillis(req.limits().timeoutMillis()).plusMinutes(5);
      var held = warm.take(req.warmSandboxId(), req.baseSnapshotId(), spec(req), needed);
      if (held.isPresent()) {
        return new Acquired(held.get(), 0, 0, true);
      }
    }
    long t = System.nanoTime();
    SandboxSpec spec = spec(req);
    Sandbox s =
        req.baseSnapshotId() == null
            ? fresh.apply(spec)
            : snapshots.restore(req.baseSnapshotId(), spec);
    long total = Duration.ofNanos(System.nanoTime() - t).toMillis();
    return new Acquired(s, total, req.baseSnapshotId() == null ? 0 : total, false);
  }

  SandboxSpec spec(StepRequest req) {
    var limits = req.limits();
    SandboxSpec.Builder b =
        SandboxSpec.newBuilder(req.image())
            .setCpus(limits.cpus())
            .setMemoryBytes(limits.memoryBytes())
            .setProcesses(limits.processes())
            .setDiskBytes(limits.diskBytes())
            .setLifetime(Duration.ofMillis(limits.timeoutMillis()).plusMinutes(30))
            .setNetwork(
                req.egress() != null
                    ? new NetworkPolicy.Egress(req.egress())
                    : NetworkPolicy.parse(req.network()))
            .setTaskId(req.taskId())
            .setStepId(req.stepId());
    for (MountSpec m : req.mounts()) {
      b.addMount(new Mount(Path.of(m.hostPath()), m.target()));
    }
    return b.build();
  }

  /** The worker's own credentials and settings: never handed to a step as a secret. */
  private static final java.util.regex.Pattern INFRASTRUCTURE =
      java.util.regex.Pattern.compile("(AWS|TEMPORAL|STEPBOX|DOCKER)_.*");

  /** {@code text} with every secret value of the request replaced by {@code ***}. */
  String redact(StepRequest req, String text) {
    String out = text;
    List<String> names = new java.util.ArrayList<>(req.secretNames());
    if (req.egress() != null) {
      req.egress().secrets().forEach(s -> names.add(s.name()));
    }
    for (String name : names) {
      String value = workerEnv.get(name);
      if (value != null && value.length() >= 4) {
        out = out.replace(value, "***");
      }
    }
    return out;
  }

  /**
   * The command with the step's env and the secrets' values, which exist only in this request. An
   * argv runs as given; only a shell line the user wrote runs under the image's shell.
   */
  ExecRequest execRequest(StepRequest req) {
    ExecRequest.Builder b =
        ExecRequest.newBuilder(
                req.argv() != null ? req.argv() : List.of("/bin/sh", "-c", req.command()))
            .setTimeout(Duration.ofMillis(req.limits().timeoutMillis()))
            .setOutputLimit(StepResult.TAIL_BYTES);
    req.env().forEach(b::putEnv);
    for (String name : req.secretNames()) {
      if (INFRASTRUCTURE.matcher(name).matches()) {
        throw StepFailures.invalid(
            "secret "
                + name
                + " is one of the worker's own credentials (AWS_*, TEMPORAL_*, STEPBOX_*,"
                + " DOCKER_*), which steps never get; give the secret a name of its own");
      }
      String value = workerEnv.get(name);
      if (value == null) {
        throw StepFailures.invalid(
            "secret "
                + name
                + " is not set in the worker's environment; set it where the"
                + " worker runs");
      }
      b.putEnv(name, value);
    }
    if (req.workdir() != null) {
      b.setWorkdir(req.workdir());
    }
    return b.build();
  }
}
