/**
 * Sandboxes: gVisor containers that run one agent's commands. {@link
 * io.stepbox.sandbox.SandboxRuntime} is the contract, {@link
 * io.stepbox.sandbox.DockerSandboxRuntime} the implementation on a Docker engine, {@link
 * io.stepbox.sandbox.SandboxReaper} the cleanup by label. Everything else here is package-private.
 */
package io.stepbox.sandbox;
