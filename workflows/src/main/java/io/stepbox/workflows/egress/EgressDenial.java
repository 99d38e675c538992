package io.stepbox.workflows.egress;

/**
 * A request the egress proxy denied, as the step result carries it.
 *
 * @param host the host asked for (as the sandbox wrote it)
 * @param port the port asked for
 * @param reason a {@link EgressPolicy.Reason} name
 * @param message what was wrong and how to allow it
 */
public record EgressDenial(String host, int port, String reason, String message) {}
