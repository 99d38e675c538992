package io.stepbox.client;

import io.temporal.client.WorkflowClient;

/**
 * What every handle of one {@link StepboxClient} shares: the workflow client, where it points
 * (named in messages) and the blob store with the full outputs.
 */
record ClientContext(WorkflowClient client, String address, String namespace, Outputs outputs) {}
