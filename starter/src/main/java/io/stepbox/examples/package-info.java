/**
 * Runnable examples of the Java client ({@link io.stepbox.client}): programs to copy, each with a
 * {@code main} that runs against TEMPORAL_ADDRESS and a stepbox worker.
 */
package io.stepbox.examples;
