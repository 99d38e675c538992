/**
 * The step activities: one durable step is restore, run, store the full output, snapshot, result
 * (DESIGN.md, the step contract). {@link io.stepbox.step.StepActivitiesImpl} is what a worker
 * registers; {@link io.stepbox.step.WarmPool} keeps finished sandboxes for the next step of a task.
 */
package io.stepbox.step;
