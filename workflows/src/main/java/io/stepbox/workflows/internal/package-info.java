/**
 * Helpers shared by the workflow implementations: step activity stubs with stepbox's timeouts and
 * warm-sandbox routing. Not an API; used from workflow code only.
 */
package io.stepbox.workflows.internal;
