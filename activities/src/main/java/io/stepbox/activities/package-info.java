/**
 * The step activities: one durable step is restore, run, store the full output, snapshot, result
 * (docs/design.md, The step contract). {@link io.stepbox.activities.StepActivitiesImpl} is what a
 * worker registers; {@link io.stepbox.activities.WarmPool} keeps finished sandboxes for the next
 * step of a task.
 */
package io.stepbox.activities;
