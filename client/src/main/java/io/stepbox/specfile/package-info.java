/**
 * Task spec files: reading YAML or JSON into {@link io.stepbox.workflows.spec.TaskSpec}, with
 * path-style errors and input paths resolved against the file's directory.
 */
package io.stepbox.specfile;
