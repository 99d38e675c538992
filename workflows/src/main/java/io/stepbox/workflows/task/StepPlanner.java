package io.stepbox.workflows.task;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.StepRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the steps of a validated spec into step requests, with the hosts people approved so far.
 * Pure.
 */
final class StepPlanner {
  private final TaskInput input;
  private final String taskId;
  private final ApprovedHosts approved;

  StepPlanner(TaskInput input, String taskId, ApprovedHosts approved) {
    this.input = input;
    this.taskId = taskId;
    this.approved = approved;
  }

  /** The step's own command as approach {@code default}, then its approaches in order. */
  static List<ApproachSpec> candidates(StepSpec step) {
    List<ApproachSpec> all = new ArrayList<>();
    all.add(new ApproachSpec(StepRequest.DEFAULT_APPROACH, step.run(), step.argv()));
    all.addAll(step.approaches());
    return all;
  }

  /**
   * The request running {@code approach} of {@code step} from {@code base} (null: the image). On
   * an egress network it carries the policy (with the hosts approved for the step) and network
   * {@code none}; on a named network, no policy.
   */
  StepRequest request(StepSpec step, ApproachSpec approach, String base, boolean keepWarm) {
    TaskSpec spec = input.spec();
    NetworkSpec network = spec.networkFor(step, approach);
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.putAll(step.env());
    LimitsSpec limits = step.limits() == null ? spec.limits() : step.limits().over(spec.limits());
    return new StepRequest(
        taskId,
        step.id(),
        approach.name(),
        spec.image(),
        base,
        approach.run(),
        env,
        spec.envSecrets(),
        step.workdir() != null ? step.workdir() : spec.workdir(),
        limits.resolve(),
        network.isEgress() ? TaskSpec.NO_NETWORK : network.name(),
        input.mounts(),
        keepWarm,
        null,
        approach.argv(),
        egress(spec, step, approach));
  }

  /** The egress policy of {@code approach}, with the hosts approved for {@code step}; or null. */
  private EgressPolicy egress(TaskSpec spec, StepSpec step, ApproachSpec approach) {
    return spec.egressFor(step, approach)
        .map(policy -> policy.withAllowed(approved.of(step.id())))
        .orElse(null);
  }
}
