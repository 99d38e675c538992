package io.stepbox.workflows.task;

import io.stepbox.workflows.spec.ApproachSpec;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The memo of an {@link AgentTaskWorkflow}: what a visibility listing shows about a task without a
 * worker and without a query. Key {@link #SPEC} holds a {@link Spec}; key {@link #GATE} the {@link
 * Gate} the task waits at (or last waited at), with the denied hosts when it waits to allow them.
 */
public final class TaskMemo {
  /** Memo key of the {@link Spec}. */
  public static final String SPEC = "spec";

  /** Memo key of the {@link Gate}. */
  public static final String GATE = "gate";

  private TaskMemo() {}

  /**
   * The task's spec in short.
   *
   * @param name the spec's name
   * @param steps the step ids, in order
   */
  public record Spec(String name, List<String> steps) {
    /** An empty list instead of null. */
    public Spec {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  /**
   * A step waiting for a decision and what it would run once approved: at its gate, or after it
   * failed with hosts denied ({@code network.onDenied: approve}).
   *
   * @param step the step's id
   * @param image the image its sandbox starts from (or the previous step's snapshot of it)
   * @param commands its own command, then its approaches, in the order they would be tried
   * @param hosts the denied hosts an approval adds to the step's allow list; empty at a gate
   */
  public record Gate(String step, String image, List<Command> commands, List<String> hosts) {
    /** Empty lists instead of nulls. */
    public Gate {
      commands = commands == null ? List.of() : List.copyOf(commands);
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** A gate (no hosts). */
    public Gate(String step, String image, List<Command> commands) {
      this(step, image, commands, null);
    }
  }

  /**
   * One way a step would run.
   *
   * @param approach {@code default} for the step's own command, else the approach's name
   * @param run the shell command
   */
  public record Command(String approach, String run) {}

  /** The memo a task of {@code spec} starts with; empty for a missing spec. */
  public static Map<String, Object> of(TaskSpec spec) {
    if (spec == null) {
      return Map.of();
    }
    List<String> ids = spec.steps().stream().filter(Objects::nonNull).map(StepSpec::id).toList();
    return Map.of(SPEC, new Spec(spec.name(), ids));
  }

  /** The gate of {@code step} in {@code spec}. */
  public static Gate gate(TaskSpec spec, StepSpec step) {
    return gate(spec, step, List.of());
  }

  /** The question whether {@code step} in {@code spec} may reach {@code hosts}; a gate if none. */
  public static Gate gate(TaskSpec spec, StepSpec step, List<String> hosts) {
    List<Command> commands = new ArrayList<>();
    for (ApproachSpec a : StepPlanner.candidates(step)) {
      commands.add(new Command(a.name(), a.display()));
    }
    return new Gate(step.id(), spec.image(), commands, hosts);
  }
}
