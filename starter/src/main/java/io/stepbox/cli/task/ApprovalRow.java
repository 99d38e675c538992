package io.stepbox.cli.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepbox.cli.ShellWords;
import io.stepbox.workflows.task.TaskMemo;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.List;

/**
 * A task waiting for a decision, at a step's approval gate or to widen a step's allow list after
 * its requests were denied, as {@code stepbox approvals} prints it: from the task's search
 * attributes and memo, so no worker is needed.
 *
 * @param id the task id
 * @param name the spec's name
 * @param step the gated step
 * @param image the image the step's sandbox starts from
 * @param commands what the step would run: its own command, then its approaches
 * @param hosts for an egress approval: the denied hosts an approval adds to the step's allow list
 *     before it reruns; null at an approval gate
 * @param startTime when the task started, ISO-8601
 * @param approve the command that lets the step run (with the hosts allowed)
 * @param reject the command that ends the task instead
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApprovalRow(
    String id,
    String name,
    String step,
    String image,
    List<TaskMemo.Command> commands,
    List<String> hosts,
    String startTime,
    String approve,
    String reject) {

  static ApprovalRow of(WorkflowExecutionMetadata m) {
    TaskRow task = TaskRow.of(m);
    TaskMemo.Gate gate = m.getMemo(TaskMemo.GATE, TaskMemo.Gate.class, TaskMemo.Gate.class);
    String step = m.getTypedSearchAttributes().get(TaskSearchAttributes.STEP);
    if (gate != null && !gate.step().equals(step)) {
      gate = null; // the memo of an earlier gate
    }
    String decide = " " + ShellWords.quote(task.id()) + " --step " + ShellWords.quote(step);
    return new ApprovalRow(
        task.id(),
        task.name(),
        step,
        gate == null ? null : gate.image(),
        gate == null ? List.of() : gate.commands(),
        gate == null || gate.hosts().isEmpty() ? null : gate.hosts(),
        task.startTime(),
        "stepbox approve" + decide,
        "stepbox reject" + decide);
  }
}
