package io.stepbox.workflows.step;

import io.stepbox.workflows.egress.EgressPolicy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one step runs: the input of {@link StepActivities#runStep}. Every attempt of the same
 * request starts from the same base, so retrying it is safe.
 *
 * @param taskId the workflow id; labels the sandbox and the snapshot
 * @param stepId the step's id
 * @param approach {@value #DEFAULT_APPROACH} for the step's own command, or the approach's name
 * @param image the container image
 * @param baseSnapshotId the snapshot to start from; null starts from the image
 * @param command run with {@code sh -c} (the image's shell) when {@code argv} is null
 * @param env environment variables (no secret values)
 * @param secretNames variables whose values the worker takes from its own environment; the values
 *     never enter workflow history
 * @param workdir working directory; null means the image's
 * @param limits resource limits
 * @param network the spec's network: {@value io.stepbox.workflows.spec.TaskSpec#NO_NETWORK} (or null,
 *     as requests recorded before carried it) for loopback only, else the name of an internal
 *     Docker network
 * @param mounts host directories mounted read-only
 * @param keepWarm whether the worker may keep the sandbox for the task's next step
 * @param warmSandboxId set when the request is routed to the worker holding a warm sandbox: the
 *     worker skips the restore if it still holds this sandbox at {@code baseSnapshotId}
 * @param argv the command as a program and its arguments, run without a shell; null runs {@code
 *     command}
 * @param egress the hosts the sandbox may reach through stepbox's egress proxy, and the secrets the
 *     proxy adds (names only); null for no egress (then {@code network} decides)
 */
public record StepRequest(
    String taskId,
    String stepId,
    String approach,
    String image,
    String baseSnapshotId,
    String command,
    Map<String, String> env,
    List<String> secretNames,
    String workdir,
    StepLimits limits,
    String network,
    List<MountSpec> mounts,
    boolean keepWarm,
    String warmSandboxId,
    List<String> argv,
    EgressPolicy egress) {

  /** The approach name of a step's own command. */
  public static final String DEFAULT_APPROACH = "default";

  /** Empty collections instead of nulls, env sorted by name, default limits instead of none. */
  public StepRequest {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    limits = limits == null ? StepLimits.DEFAULTS : limits;
    argv = argv == null || argv.isEmpty() ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(argv));
  }

  /** A request without egress. */
  public StepRequest(
      String taskId,
      String stepId,
      String approach,
      String image,
      String baseSnapshotId,
      String command,
      Map<String, String> env,
      List<String> secretNames,
      String workdir,
      StepLimits limits,
      String network,
      List<MountSpec> mounts,
      boolean keepWarm,
      String warmSandboxId,
      List<String> argv) {
    this(
        taskId,
        stepId,
        approach,
        image,
        baseSnapshotId,
        command,
        env,
        secretNames,
        workdir,
        limits,
        network,
        mounts,
        keepWarm,
        warmSandboxId,
        argv,
        null);
  }

  /** A request whose command is a shell line. */
  public StepRequest(
      String taskId,
      String stepId,
      String approach,
      String image,
      String baseSnapshotId,
      String command,
      Map<String, String> env,
      List<String> secretNames,
      String workdir,
      StepLimits limits,
      String network,
      List<MountSpec> mounts,
      boolean keepWarm,
      String warmSandboxId) {
    this(
        taskId,
        stepId,
        approach,
        image,
        baseSnapshotId,
        command,
        env,
        secretNames,
        workdir,
        limits,
        network,
        mounts,
        keepWarm,
        warmSandboxId,
        null);
  }

  /** The command as people read it: the shell line, or the argv's words. */
  public String display() {
    return argv == null ? command : String.join(" ", argv);
  }

  /** This request aimed at a warm sandbox, or at none when {@code sandboxId} is null. */
  public StepRequest withWarmSandboxId(String sandboxId) {
    return new StepRequest(
        taskId,
        stepId,
        approach,
        image,
        baseSnapshotId,
        command,
        env,
        secretNames,
        workdir,
        limits,
        network,
        mounts,
        keepWarm,
        sandboxId,
        argv,
        egress);
  }
}
