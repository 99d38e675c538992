package io.stepbox.workflows.step;

/**
 * A host directory mounted read-only into a step's sandbox.
 *
 * @param hostPath absolute directory on the worker host
 * @param target absolute path inside the sandbox
 */
public record MountSpec(String hostPath, String target) {}
