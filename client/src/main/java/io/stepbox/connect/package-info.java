/**
 * Connecting to Temporal and finding the blob store: the rules the CLI, the worker and the Java
 * client share. Failures are {@link io.stepbox.connect.TemporalConnectException}s whose message
 * says what to do.
 */
package io.stepbox.connect;
