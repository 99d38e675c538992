package io.stepbox.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a sandbox is made of: image, runtime, limits, environment, network and mounts. Build one
 * with {@link #newBuilder(String)}; every field but the image has a safe default documented on its
 * builder method. {@link #validate()} names the first bad field.
 */
public record SandboxSpec(
    String image,
    String runtime,
    boolean allowUnsafeRuntime,
    double cpus,
    long memoryBytes,
    int processes,
    long diskBytes,
    Map<String, String> env,
    String workdir,
    NetworkPolicy network,
    Duration lifetime,
    List<Mount> mounts,
    String taskId,
    String stepId) {

  /** The runtime every sandbox gets unless the spec says otherwise. */
  public static final String DEFAULT_RUNTIME = "runsc";

  /** The least memory a gVisor sandbox starts with (its own kernel needs some). */
  public static final long MIN_MEMORY_BYTES = 32L << 20;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Task and step ids (label values): ':' for the run times Temporal Schedules append to ids. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

  public SandboxSpec {
    env = Map.copyOf(env);
    mounts = List.copyOf(mounts);
  }

  public static Builder newBuilder(String image) {
    return new Builder(image);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** True when {@link #runtime()} is gVisor. */
  public boolean isGvisor() {
    return runtime.equals("runsc") || runtime.startsWith("runsc-");
  }

  public Optional<String> task() {
    return Optional.ofNullable(taskId);
  }

  public Optional<String> step() {
    return Optional.ofNullable(stepId);
  }

  /**
   * Checks every field. Throws {@link SandboxException} ({@code INVALID_SPEC} or {@code RUNTIME})
   * whose message names the field and the fix.
   */
  public SandboxSpec validate() {
    validateRuntime();
    validateLimits();
    validateSettings();
    return this;
  }

  private void validateRuntime() {
    require(image != null && !image.isBlank(), "image: must be set, like stepbox/base:busybox");
    require(runtime != null && !runtime.isBlank(), "runtime: must be set, like runsc");
    if (!isGvisor() && !allowUnsafeRuntime) {
      throw new SandboxException(
          SandboxException.Reason.RUNTIME,
          "runtime: '"
              + runtime
              + "' is not gVisor; untrusted code runs only under runsc. "
              + "Set allowUnsafeRuntime (CLI: --allow-unsafe-runtime) to run it anyway");
    }
  }

  private void validateLimits() {
    require(cpus > 0 && cpus <= 512, "cpus: " + cpus + " must be more than 0, like 0.5 or 2");
    require(
        memoryBytes >= MIN_MEMORY_BYTES,
        "memory: "
            + memoryBytes
            + " bytes is below the 32 MiB a gVisor sandbox needs; "
            + "ask for at least 32m");
    require(
        processes >= 1 && processes <= 32_768,
        "processes: " + processes + " must be between 1 and 32768");
    require(diskBytes >= 0, "disk: " + diskBytes + " must not be negative (0 means no limit)");
  }

  private void validateSettings() {
    require(
        workdir == null || workdir.startsWith("/"),
        "workdir: '" + workdir + "' must be an absolute path, like /workspace");
    require(
        !lifetime.isNegative() && !lifetime.isZero() && lifetime.toSeconds() >= 1,
        "lifetime: " + lifetime + " must be at least 1s");
    for (String name : env.keySet()) {
      require(
          ENV_NAME.matcher(name).matches(),
          "env: '"
              + name
              + "' is not a variable name (letters, digits, _; not starting with a digit)");
    }
    require(
        taskId == null || ID.matcher(taskId).matches(),
        "task: '" + taskId + "' must be 1-128 of letters, digits, '_', '.', ':', '-'");
    require(
        stepId == null || ID.matcher(stepId).matches(),
        "step: '" + stepId + "' must be 1-128 of letters, digits, '_', '.', ':', '-'");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw SandboxException.invalid(message);
    }
  }

  /** Fluent builder; defaults are the safe ones. */
  public static final class Builder {
    private String image;
    private String runtime = DEFAULT_RUNTIME;
    private boolean allowUnsafeRuntime;
    private double cpus = 1.0;
    private long memoryBytes = 1L << 30;
    private int processes = 512;
    private long diskBytes;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workdir;
    private NetworkPolicy network = NetworkPolicy.NONE;
    private Duration lifetime = Duration.ofHours(1);
    private final List<Mount> mounts = new ArrayList<>();
    private String taskId;
    private String stepId;

    private Builder(String image) {
      this.image = image;
    }

    private Builder(SandboxSpec s) {
      image = s.image;
      runtime = s.runtime;
      allowUnsafeRuntime = s.allowUnsafeRuntime;
      cpus = s.cpus;
      memoryBytes = s.memoryBytes;
      processes = s.processes;
      diskBytes = s.diskBytes;
      env.putAll(s.env);
      workdir = s.workdir;
      network = s.network;
      lifetime = s.lifetime;
      mounts.addAll(s.mounts);
      taskId = s.taskId;
      stepId = s.stepId;
    }

    public Builder setImage(String image) {
      this.image = image;
      return this;
    }

    /** Container runtime registered with dockerd. Default {@code runsc} (gVisor). */
    public Builder setRuntime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    /** Allows a runtime that is not gVisor, such as {@code runc}. Default false. */
    public Builder setAllowUnsafeRuntime(boolean allow) {
      this.allowUnsafeRuntime = allow;
      return this;
    }

    /** CPU share in cores. Default 1. */
    public Builder setCpus(double cpus) {
      this.cpus = cpus;
      return this;
    }

    /** Memory limit, swap included (there is no swap). Default 1 GiB. */
    public Builder setMemoryBytes(long memoryBytes) {
      this.memoryBytes = memoryBytes;
      return this;
    }

    /** Most processes the sandbox may run at once. Default 512. */
    public Builder setProcesses(int processes) {
      this.processes = processes;
      return this;
    }

    /** Writable layer size limit; 0 (default) for none. Needs overlay2 on xfs with pquota. */
    public Builder setDiskBytes(long diskBytes) {
      this.diskBytes = diskBytes;
      return this;
    }

    public Builder putEnv(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Working directory of commands; default the image's. */
    public Builder setWorkdir(String workdir) {
      this.workdir = workdir;
      return this;
    }

    /** Default {@link NetworkPolicy#NONE}. */
    public Builder setNetwork(NetworkPolicy network) {
      this.network = network;
      return this;
    }

    /** After this the sandbox stops itself and the reaper removes it. Default 1h. */
    public Builder setLifetime(Duration lifetime) {
      this.lifetime = lifetime;
      return this;
    }

    /** Removes every mount. */
    public Builder clearMounts() {
      mounts.clear();
      return this;
    }

    /** Adds a read-only mount. */
    public Builder addMount(Mount mount) {
      mounts.add(mount);
      return this;
    }

    public Builder setTaskId(String taskId) {
      this.taskId = taskId;
      return this;
    }

    public Builder setStepId(String stepId) {
      this.stepId = stepId;
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(
          image,
          runtime,
          allowUnsafeRuntime,
          cpus,
          memoryBytes,
          processes,
          diskBytes,
          env,
          workdir,
          network,
          lifetime,
          mounts,
          taskId,
          stepId);
    }
  }
}
