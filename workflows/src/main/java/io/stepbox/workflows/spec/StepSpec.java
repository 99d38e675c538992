package io.stepbox.workflows.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One declared step.
 *
 * @param id unique within the task, lower case: {@code [a-z0-9][a-z0-9_-]*}
 * @param run the shell command ({@code sh -c}, the image's shell); or null with {@code argv}
 * @param approaches other commands tried in order, each from the same restore point, when {@code
 *     run} fails
 * @param approval an optional gate before the step runs
 * @param limits fields that override the task's limits for this step
 * @param env variables added to (and overriding) the task's env for this step
 * @param workdir working directory of this step; null means the task's
 * @param argv the command as a program and its arguments, run without any shell (so a step can run
 *     in an image that has none); or null with {@code run}
 * @param network this step's network, replacing the task's whole; null means the task's
 */
public record StepSpec(
    String id,
    String run,
    List<ApproachSpec> approaches,
    ApprovalSpec approval,
    LimitsSpec limits,
    Map<String, String> env,
    String workdir,
    List<String> argv,
    NetworkSpec network) {

  /** Fills empty collections; {@code argv} null when empty. */
  public StepSpec {
    approaches = Specs.list(approaches);
    env = Specs.map(env);
    argv =
        argv == null || argv.isEmpty() ? null : Collections.unmodifiableList(new ArrayList<>(argv));
  }

  /** A step on the task's network. */
  public StepSpec(
      String id,
      String run,
      List<ApproachSpec> approaches,
      ApprovalSpec approval,
      LimitsSpec limits,
      Map<String, String> env,
      String workdir,
      List<String> argv) {
    this(id, run, approaches, approval, limits, env, workdir, argv, null);
  }

  /** A step whose command is a shell line. */
  public StepSpec(
      String id,
      String run,
      List<ApproachSpec> approaches,
      ApprovalSpec approval,
      LimitsSpec limits,
      Map<String, String> env,
      String workdir) {
    this(id, run, approaches, approval, limits, env, workdir, null, null);
  }

  /** A step that just runs a command. */
  public static StepSpec of(String id, String run) {
    return new StepSpec(id, run, List.of(), null, null, Map.of(), null);
  }

  /** This step on {@code newNetwork} instead of the task's network. */
  public StepSpec withNetwork(NetworkSpec newNetwork) {
    return new StepSpec(id, run, approaches, approval, limits, env, workdir, argv, newNetwork);
  }

  /** Whether the task must wait for a decision before this step. */
  public boolean requiresApproval() {
    return approval != null && Boolean.TRUE.equals(approval.required());
  }
}
