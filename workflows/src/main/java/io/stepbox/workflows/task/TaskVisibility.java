package io.stepbox.workflows.task;

import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a task's search attributes ({@link TaskSearchAttributes}) and memo ({@link TaskMemo})
 * current as it moves. Versioned: histories recorded before this existed replay without it.
 */
final class TaskVisibility {
  /** The {@code Workflow.getVersion} change id that added search attributes and memo. */
  static final String CHANGE_ID = "search-attributes";

  private final TaskSpec spec;
  private final boolean enabled;
  private final Map<SearchAttributeKey<?>, Object> published = new HashMap<>();
  private TaskMemo.Gate gate;

  private TaskVisibility(TaskSpec spec, boolean enabled) {
    this.spec = spec;
    this.enabled = enabled;
  }

  /** Starts publishing for a task of {@code spec}: the memo and the name, at once. */
  static TaskVisibility start(TaskSpec spec) {
    int version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    TaskVisibility v = new TaskVisibility(spec, version >= 1);
    if (v.enabled && spec != null) {
      Workflow.upsertMemo(TaskMemo.of(spec));
    }
    return v;
  }

  /** Publishes what changed since the last call: attributes, and the gate the task waits at. */
  void publish(TaskStatus status) {
    if (!enabled) {
      return;
    }
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    set(updates, TaskSearchAttributes.TASK_NAME, blankToNull(status.name()));
    set(updates, TaskSearchAttributes.STATUS, status.status().name());
    set(updates, TaskSearchAttributes.STEP, blankToNull(status.currentStep()));
    boolean waiting = status.status() == TaskState.WAITING_APPROVAL;
    set(updates, TaskSearchAttributes.WAITING_APPROVAL, waiting);
    if (!updates.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
    }
    if (waiting) {
      publishGate(status);
    }
  }

  /** Publishes the gate the task waits at, or the hosts it asks about, when they changed. */
  private void publishGate(TaskStatus status) {
    String stepId = status.currentStep();
    StepSpec step =
        spec.steps().stream()
            .filter(s -> s != null && stepId.equals(s.id()))
            .findFirst()
            .orElseThrow();
    ApprovalStatus question = status.findStep(stepId).orElseThrow().egressApproval();
    boolean asking = question != null && question.decision() == null;
    TaskMemo.Gate now = TaskMemo.gate(spec, step, asking ? question.hosts() : List.of());
    if (!now.equals(gate)) {
      gate = now;
      Workflow.upsertMemo(Map.of(TaskMemo.GATE, now));
    }
  }

  private <T> void set(List<SearchAttributeUpdate<?>> updates, SearchAttributeKey<T> key, T value) {
    if (published.containsKey(key) && Objects.equals(published.get(key), value)) {
      return;
    }
    published.put(key, value);
    updates.add(value == null ? key.valueUnset() : key.valueSet(value));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
