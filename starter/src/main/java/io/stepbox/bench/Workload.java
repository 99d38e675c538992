package io.stepbox.bench;

import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Mount;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.StepLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench workload} runs, the same in each way: clone the package's repository, install
 * it offline from the wheelhouse into a venv, run its own tests. One container gets the commands
 * as {@code sh -c} lines, as a durable step does, with a step's default limits; the durable task
 * gets them as its three steps.
 */
final class Workload {
  static final String IMAGE = Images.PYTHON;

  /** The Python of {@link #IMAGE} (Debian bookworm's), which the wheelhouse is downloaded for. */
  static final String IMAGE_PYTHON = "3.11";

  static final String WHEELS_MOUNT = "/wheels";
  static final String REPO_MOUNT = "/src/repo.git";
  static final String TEST_STEP = "test";

  /** Tests whose times pytest lists ({@code --durations}), to show where a way's time went. */
  static final int SLOWEST = 3;

  /** One of the three commands. */
  record Step(String id, String run) {}

  /**
   * The venv sees the image's site-packages, so the image's pytest (Debian's) runs the suite: the
   * install is the package's own, and the wheelhouse holds only what that install needs.
   */
  static final List<Step> STEPS =
      List.of(
          new Step("clone", "git clone -q " + REPO_MOUNT + " /workspace/src"),
          new Step(
              "install",
              "python3 -m venv --system-site-packages /workspace/venv"
                  + " && /workspace/venv/bin/python -m pip install -q --no-index --find-links "
                  + WHEELS_MOUNT
                  + " /workspace/src"),
          new Step(
              TEST_STEP,
              "cd /workspace/src && /workspace/venv/bin/python -m pytest -q -p no:cacheprovider"
                  + " --durations=" + SLOWEST + " tests"));

  /** pip neither asks PyPI for a newer pip (there is no network) nor keeps a cache. */
  static final Map<String, String> ENV =
      Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1", "PIP_NO_CACHE_DIR", "1");

  private final Wheelhouse.Prepared inputs;

  Workload(Wheelhouse.Prepared inputs) {
    this.inputs = inputs;
  }

  /** One container under {@code runtime} with a durable step's default limits and the inputs. */
  SandboxSpec sandbox(String runtime) {
    StepLimits limits = StepLimits.DEFAULTS;
    return SandboxSpec.newBuilder(IMAGE)
        .setRuntime(runtime)
        .setAllowUnsafeRuntime(!runtime.equals(SandboxSpec.DEFAULT_RUNTIME))
        .setCpus(limits.cpus())
        .setMemoryBytes(limits.memoryBytes())
        .setProcesses(limits.processes())
        .addMount(new Mount(inputs.wheels(), WHEELS_MOUNT))
        .addMount(new Mount(inputs.repo(), REPO_MOUNT))
        .build();
  }

  /** {@code step} as the durable step runs it: {@code sh -c}, the env, the step timeout. */
  static ExecRequest exec(Step step) {
    ExecRequest.Builder b =
        ExecRequest.newBuilder(List.of("/bin/sh", "-c", step.run()))
            .setTimeout(Duration.ofMillis(StepLimits.DEFAULTS.timeoutMillis()));
    ENV.forEach(b::putEnv);
    return b.build();
  }

  /** The durable task: the three steps on the same image, inputs and env, default limits. */
  TaskSpec task() {
    Map<String, InputSpec> mounts = new LinkedHashMap<>();
    mounts.put("wheels", new InputSpec(inputs.wheels().toString(), WHEELS_MOUNT));
    mounts.put("repo", new InputSpec(inputs.repo().toString(), REPO_MOUNT));
    List<StepSpec> steps = STEPS.stream().map(s -> StepSpec.of(s.id(), s.run())).toList();
    return new TaskSpec(
        "bench-workload",
        IMAGE,
        LimitsSpec.NONE,
        TaskSpec.NO_NETWORK,
        mounts,
        ENV,
        List.of(),
        null,
        steps,
        List.of());
  }
}
