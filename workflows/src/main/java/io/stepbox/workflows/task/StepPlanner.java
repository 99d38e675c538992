package io.stepbox.workflows.task;

import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.StepRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the steps of a validated spec into step requests. Pure. */
final class StepPlanner {
  private final TaskInput input;
  private final String taskId;

  StepPlanner(TaskInput input, String taskId) {
    this.input = input;
    this.taskId = taskId;
  }

  /** The step's own command as approach {@code default}, then its approaches in order. */
  static List<ApproachSpec> candidates(StepSpec step) {
    List<ApproachSpec> all = new ArrayList<>();
    all.add(new ApproachSpec(StepRequest.DEFAULT_APPROACH, step.run(), step.argv()));
    all.addAll(step.approaches());
    return all;
  }

  /** The request running {@code approach} of {@code step} from {@code base} (null: the image). */
  StepRequest request(StepSpec step, ApproachSpec approach, String base, boolean keepWarm) {
    TaskSpec spec = input.spec();
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
        spec.secrets(),
        step.workdir() != null ? step.workdir() : spec.workdir(),
        limits.resolve(),
        spec.network(),
        input.mounts(),
        keepWarm,
        null,
        approach.argv());
  }
}
