package io.stepbox.workflows.task;

import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.step.MountSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of {@link AgentTaskWorkflow#run}: the task spec and the mounts its inputs resolved to.
 * The task id is the workflow id.
 *
 * @param spec the task, with absolute host paths in its inputs
 * @param mounts the read-only mounts of every step, one per input, in the inputs' order
 */
public record TaskInput(TaskSpec spec, List<MountSpec> mounts) {

  /** An empty mount list instead of null. */
  public TaskInput {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** The input of a spec whose input paths are already absolute (a spec reader makes them so). */
  public static TaskInput of(TaskSpec spec) {
    List<MountSpec> mounts = new ArrayList<>();
    for (InputSpec in : spec.inputs().values()) {
      if (in != null) {
        mounts.add(new MountSpec(in.path(), in.mount()));
      }
    }
    return new TaskInput(spec, mounts);
  }
}
