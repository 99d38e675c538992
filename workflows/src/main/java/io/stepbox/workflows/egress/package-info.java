/**
 * Controlled egress: the host rules a sandbox may reach through stepbox's egress proxy, the
 * secrets the proxy adds on the way out (by name; values never enter a payload), and the audit of
 * what the proxy allowed and denied. Pure data and matching; the proxy itself lives with the
 * sandbox runtime.
 */
package io.stepbox.workflows.egress;
