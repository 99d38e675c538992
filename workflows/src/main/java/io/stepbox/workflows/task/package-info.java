/**
 * Declared agent tasks: {@link io.stepbox.workflows.task.AgentTaskWorkflow}, its input, its status
 * (the answer of {@code stepbox status}) and approval decisions.
 */
package io.stepbox.workflows.task;
