package io.stepbox.workflows.task;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom search attributes of {@link AgentTaskWorkflow}, which make tasks findable in the
 * Temporal Web UI and with visibility queries ({@code stepbox list}, {@code stepbox approvals}). A
 * server must have them registered ({@link #DEFINITIONS}) before a task starts: the dev server with
 * {@code --search-attribute}, other servers through the operator service.
 */
public final class TaskSearchAttributes {
  /** The spec's name. */
  public static final SearchAttributeKey<String> TASK_NAME =
      SearchAttributeKey.forKeyword("StepboxTaskName");

  /** The {@link TaskState} name. */
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("StepboxStatus");

  /** The current step's id; absent when there is none. */
  public static final SearchAttributeKey<String> STEP =
      SearchAttributeKey.forKeyword("StepboxStep");

  /** Whether the task waits for an approval decision. */
  public static final SearchAttributeKey<Boolean> WAITING_APPROVAL =
      SearchAttributeKey.forBoolean("StepboxWaitingApproval");

  /** Every attribute's name and type, in registration order. */
  public static final Map<String, IndexedValueType> DEFINITIONS = definitions();

  private TaskSearchAttributes() {}

  /** What a client sets when it starts a task of {@code name}: the name, RUNNING, not waiting. */
  public static SearchAttributes atStart(String name) {
    SearchAttributes.Builder b =
        SearchAttributes.newBuilder()
            .set(STATUS, TaskState.RUNNING.name())
            .set(WAITING_APPROVAL, false);
    if (name != null && !name.isBlank()) {
      b.set(TASK_NAME, name);
    }
    return b.build();
  }

  private static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> m = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : List.of(TASK_NAME, STATUS, STEP, WAITING_APPROVAL)) {
      m.put(key.getName(), key.getValueType());
    }
    return Collections.unmodifiableMap(m);
  }
}
