/**
 * Task specs as users write them (YAML or JSON field names are the record components) and the
 * validator that reports every error with its path before anything runs.
 */
package io.stepbox.workflows.spec;
