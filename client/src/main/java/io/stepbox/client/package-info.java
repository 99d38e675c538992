/**
 * The Java client of stepbox, for agent authors: {@link io.stepbox.client.StepboxClient} starts
 * durable tasks ({@link io.stepbox.client.TaskHandle}: status, result, approve or reject, full
 * output, egress log) and opens sessions ({@link io.stepbox.client.SessionHandle}: exec, fork,
 * close, state), optionally with named hosts reachable through the egress proxy ({@link
 * io.stepbox.client.SessionOptions.Builder#setAllowHosts}).
 *
 * <p>Everything runs on Temporal: the client talks only to the Temporal frontend, and stepbox
 * workers run the steps in gVisor sandboxes. Handles are thin: a task or session lives in Temporal
 * and survives this process. The payloads are stepbox's own records ({@link
 * io.stepbox.workflows.spec.TaskSpec}, {@link io.stepbox.workflows.task.TaskStatus}, {@link
 * io.stepbox.workflows.session.SessionState}); failures are unchecked {@link
 * io.stepbox.client.StepboxClientException}s: {@link io.stepbox.client.InvalidTaskSpecException},
 * {@link io.stepbox.client.NotFoundException}, {@link io.stepbox.client.AlreadyStartedException},
 * {@link io.stepbox.client.RefusedException}, {@link io.stepbox.client.ExecFailedException}, {@link
 * io.stepbox.client.AwaitTimeoutException} and {@link io.stepbox.client.UnavailableException} (with
 * {@link io.stepbox.client.NoWorkerException}).
 *
 * <p>{@code io.stepbox.examples.AgentLoopExample} is a runnable agent loop to copy.
 */
package io.stepbox.client;
