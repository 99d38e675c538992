/**
 * Sessions for agents that decide at run time: {@link
 * io.stepbox.workflows.session.SessionWorkflow}, one durable step per {@code exec} update.
 */
package io.stepbox.workflows.session;
