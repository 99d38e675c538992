package io.stepbox.workflows.spec;

/**
 * Another way to do a step, tried from the step's restore point when the step's own command failed.
 *
 * @param name shown in status output; unique within its step, and never {@code default}
 * @param run the shell command ({@code sh -c})
 */
public record ApproachSpec(String name, String run) {}
