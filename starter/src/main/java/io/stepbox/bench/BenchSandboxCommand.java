package io.stepbox.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.stepbox.cli.Converters;
import io.stepbox.cli.Cli;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxPool;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.workflows.Images;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code stepbox bench sandbox [--runs N] [--json]}: create, exec of {@code true}, destroy through
 * stepbox and through a minimal raw docker-java sequence with runsc, interleaved in one process so
 * that the machine's drift hits both alike. Reports p50/p95 per phase and the ratio. Then, in one
 * running sandbox, {@code true} through the agent against a raw docker exec of it, interleaved.
 */
@Command(name = "sandbox", description = "sandbox start-to-first-output vs raw docker-java")
final class BenchSandboxCommand implements Callable<Integer> {
  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "runs of each side (default 20)")
  double runCount = 20;

  @Option(names = "--json", description = "print the results as JSON")
  boolean json;
  private static final String IMAGE = Images.DEFAULT;
  private static final int WARMUP = 2;

  /** Execs of each kind in the running sandbox: many, since each is short. */
  private static final int EXECS = 50;

  private final Cli cli;

  BenchSandboxCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    int runs = Converters.atLeastOne("--runs", runCount);
    SandboxRuntime rt = cli.runtime();
    try (DockerClient raw = rawClient()) {
      Phases stepbox = new Phases();
      Phases baseline = new Phases();
      for (int i = 0; i < WARMUP + runs; i++) {
        boolean keep = i >= WARMUP;
        measureStepbox(rt, keep ? stepbox : new Phases());
        measureBaseline(raw, keep ? baseline : new Phases());
        if (!json) {
          cli.err().print(i < WARMUP ? "w" : ".");
        }
      }
      if (!json) {
        cli.err().println();
      }
      Series agentExec = new Series();
      Series dockerExec = new Series();
      measureExecs(rt, raw, agentExec, dockerExec);
      Series pooled = measurePool(cli.runtime(), runs);
      Results results = new Results(runs, stepbox, baseline, agentExec, dockerExec, pooled);
      if (json) {
        cli.printJson(results.asMap());
      } else {
        printTable(results);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return 0;
  }

  private static void measureStepbox(SandboxRuntime rt, Phases p) {
    long t0 = System.nanoTime();
    Sandbox s = rt.create(SandboxSpec.newBuilder(IMAGE).build());
    long t1;
    long t2;
    try {
      t1 = System.nanoTime();
      rt.exec(s, ExecRequest.newBuilder(List.of("true")).build());
      t2 = System.nanoTime();
    } finally {
      rt.destroy(s);
    }
    long t3 = System.nanoTime();
    p.add(t0, t1, t2, t3);
  }

  /**
   * Take from a pool of started sandboxes to the end of {@code true}, each time once the pool has
   * refilled (its refill is a sandbox start in the background, not part of the take).
   */
  private static Series measurePool(DockerSandboxRuntime rt, int runs) {
    Series out = new Series();
    SandboxSpec spec = SandboxSpec.newBuilder(IMAGE).build();
    var settings = new SandboxPool.Settings(1, 1, Long.MAX_VALUE, Duration.ofMinutes(5));
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (SandboxPool pool = new SandboxPool(rt, settings, registry)) {
      rt.destroy(pool.create(spec)); // a miss: the pool learns the spec and starts one
      for (int i = 0; i < WARMUP + runs; i++) {
        if (!pool.awaitReady(spec, Duration.ofMinutes(1))) {
          throw new IllegalStateException("the pool did not start a sandbox within a minute");
        }
        long t0 = System.nanoTime();
        Sandbox s = pool.create(spec);
        try {
          rt.exec(s, ExecRequest.newBuilder(List.of("true")).build());
          if (i >= WARMUP) {
            out.add(System.nanoTime() - t0);
          }
        } finally {
          rt.destroy(s);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return out;
  }

  /** {@code true} through the agent and by a raw docker exec, alternately, in one sandbox. */
  private static void measureExecs(
      SandboxRuntime rt, DockerClient docker, Series agent, Series raw) {
    Sandbox s = rt.create(SandboxSpec.newBuilder(IMAGE).build());
    try {
      ExecRequest truth = ExecRequest.newBuilder(List.of("true")).build();
      for (int i = 0; i < WARMUP + EXECS; i++) {
        long t0 = System.nanoTime();
        rt.exec(s, truth);
        long t1 = System.nanoTime();
        dockerExecTrue(docker, s.id());
        long t2 = System.nanoTime();
        if (i >= WARMUP) {
          agent.add(t1 - t0);
          raw.add(t2 - t1);
        }
      }
    } finally {
      rt.destroy(s);
    }
  }

  private static void dockerExecTrue(DockerClient docker, String containerId) {
    String exec =
        docker
            .execCreateCmd(containerId)
            .withCmd("true")
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    try {
      docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    docker.inspectExecCmd(exec).exec().getExitCodeLong();
  }

  /** The least a caller can do with docker-java to get the same result under runsc. */
  private static void measureBaseline(DockerClient docker, Phases p) {
    long t0 = System.nanoTime();
    String id =
        docker
            .createContainerCmd(IMAGE)
            .withCmd("sleep", "3600")
            .withLabels(
                Map.of(
                    "stepbox.managed",
                    "true",
                    "stepbox.worker",
                    "bench-baseline",
                    "stepbox.expires",
                    Long.toString(System.currentTimeMillis() / 1000 + 600)))
            .withHostConfig(HostConfig.newHostConfig().withRuntime("runsc").withNetworkMode("none"))
            .exec()
            .getId();
    boolean removed = false;
    try {
      docker.startContainerCmd(id).exec();
      long t1 = System.nanoTime();
      dockerExecTrue(docker, id);
      long t2 = System.nanoTime();
      docker.removeContainerCmd(id).withForce(true).exec();
      removed = true;
      long t3 = System.nanoTime();
      p.add(t0, t1, t2, t3);
    } finally {
      if (!removed) {
        docker.removeContainerCmd(id).withForce(true).exec();
      }
    }
  }

  private DockerClient rawClient() {
    var config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(cli.config().dockerHost())
            .build();
    return DockerClientImpl.getInstance(
        config,
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** What one run measured: the create-to-output phases, the execs and the pool's takes. */
  private record Results(
      int runs,
      Phases stepbox,
      Phases baseline,
      Series agentExec,
      Series dockerExec,
      Series pooled) {
    double ratio() {
      return stepbox.firstOutput.p(50) / baseline.firstOutput.p(50);
    }

    double execRatio() {
      return agentExec.p(50) / dockerExec.p(50);
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runs", runs);
      m.put("p50_ms", round(stepbox.firstOutput.p(50)));
      m.put("p95_ms", round(stepbox.firstOutput.p(95)));
      m.put("baseline_p50_ms", round(baseline.firstOutput.p(50)));
      m.put("baseline_p95_ms", round(baseline.firstOutput.p(95)));
      m.put("ratio", round(ratio()));
      m.put("execs", EXECS);
      m.put("exec_p50_ms", round(agentExec.p(50)));
      m.put("exec_p95_ms", round(agentExec.p(95)));
      m.put("docker_exec_p50_ms", round(dockerExec.p(50)));
      m.put("docker_exec_p95_ms", round(dockerExec.p(95)));
      m.put("exec_ratio", Math.round(execRatio() * 100) / 100.0);
      m.put("pool_p50_ms", round(pooled.p(50)));
      m.put("pool_p95_ms", round(pooled.p(95)));
      m.put("stepbox", stepbox.asMap());
      m.put("baseline", baseline.asMap());
      return m;
    }
  }

  private void printTable(Results r) {
    cli.out().printf(
        Locale.ROOT,
        "%-22s %12s %12s %12s %12s%n",
        "phase (ms)",
        "stepbox p50",
        "stepbox p95",
        "raw p50",
        "raw p95");
    String[] names = {"create+start", "exec true", "destroy", "create->first output", "total"};
    Series[] a = r.stepbox().all();
    Series[] b = r.baseline().all();
    for (int i = 0; i < names.length; i++) {
      cli.out().printf(
          Locale.ROOT,
          "%-22s %12.1f %12.1f %12.1f %12.1f%n",
          names[i],
          a[i].p(50),
          a[i].p(95),
          b[i].p(50),
          b[i].p(95));
    }
    printSummary(r);
  }

  private void printSummary(Results r) {
    cli.out().printf(
        Locale.ROOT,
        "ratio (stepbox p50 / raw p50, create->first output): %.2f over %d runs%n",
        r.ratio(),
        r.runs());
    cli.out().printf(
        Locale.ROOT,
        "exec true in a running sandbox, p50 (p95) ms: agent %.1f (%.1f), docker exec %.1f (%.1f);"
            + " ratio %.2f over %d execs each%n",
        r.agentExec().p(50),
        r.agentExec().p(95),
        r.dockerExec().p(50),
        r.dockerExec().p(95),
        r.execRatio(),
        EXECS);
    cli.out().printf(
        Locale.ROOT,
        "from a pool of started sandboxes, take to the end of true, p50 (p95) ms: %.1f (%.1f) over"
            + " %d runs%n",
        r.pooled().p(50),
        r.pooled().p(95),
        r.runs());
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** Durations of one path's phases, in milliseconds. */
  private static final class Phases {
    final Series create = new Series();
    final Series exec = new Series();
    final Series destroy = new Series();
    final Series firstOutput = new Series();
    final Series total = new Series();

    void add(long t0, long t1, long t2, long t3) {
      create.add(t1 - t0);
      exec.add(t2 - t1);
      destroy.add(t3 - t2);
      firstOutput.add(t2 - t0);
      total.add(t3 - t0);
    }

    Series[] all() {
      return new Series[] {create, exec, destroy, firstOutput, total};
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      String[] keys = {"create", "exec", "destroy", "first_output", "total"};
      Series[] s = all();
      for (int i = 0; i < keys.length; i++) {
        m.put(keys[i] + "_p50_ms", round(s[i].p(50)));
        m.put(keys[i] + "_p95_ms", round(s[i].p(95)));
      }
      return m;
    }
  }

  /** Samples with nearest-rank percentiles. */
  private static final class Series {
    private final List<Double> ms = new ArrayList<>();

    void add(long nanos) {
      ms.add(nanos / 1e6);
    }

    double p(int percentile) {
      double[] sorted = ms.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }
  }
}
