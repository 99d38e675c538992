/**
 * Controlled egress on the worker's host: a Squid proxy per sandbox that enforces the sandbox's
 * {@link io.stepbox.workflows.egress.EgressPolicy}, adds secrets on the way out, and logs every
 * decision for the step's audit. {@link io.stepbox.egress.EgressProxies} is the entry point; the
 * Docker side (the egress network) lives with the sandbox runtime.
 */
package io.stepbox.egress;
