package io.stepbox.workflows.spec;

import java.util.List;
import java.util.Map;

/**
 * One declared step.
 *
 * @param id unique within the task, lower case: {@code [a-z0-9][a-z0-9_-]*}
 * @param run the shell command ({@code sh -c})
 * @param approaches other commands tried in order, each from the same restore point, when {@code
 *     run} fails
 * @param approval an optional gate before the step runs
 * @param limits fields that override the task's limits for this step
 * @param env variables added to (and overriding) the task's env for this step
 * @param workdir working directory of this step; null means the task's
 */
public record StepSpec(
    String id,
    String run,
    List<ApproachSpec> approaches,
    ApprovalSpec approval,
    LimitsSpec limits,
    Map<String, String> env,
    String workdir) {

  /** Fills empty collections. */
  public StepSpec {
    approaches = Specs.list(approaches);
    env = Specs.map(env);
  }

  /** A step that just runs a command. */
  public static StepSpec of(String id, String run) {
    return new StepSpec(id, run, List.of(), null, null, Map.of(), null);
  }

  /** Whether the task must wait for a decision before this step. */
  public boolean requiresApproval() {
    return approval != null && Boolean.TRUE.equals(approval.required());
  }
}
