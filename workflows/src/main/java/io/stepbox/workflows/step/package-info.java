/**
 * The step contract between workflows and workers: {@link io.stepbox.workflows.step.StepActivities}
 * and its payload records.
 */
package io.stepbox.workflows.step;
