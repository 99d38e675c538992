package io.stepbox.workflows.spec;

/**
 * A host directory made visible, read-only, inside every step's sandbox.
 *
 * @param path the directory on the worker host; a spec reader resolves relative paths against the
 *     spec file's directory
 * @param mount the absolute path inside the sandbox
 */
public record InputSpec(String path, String mount) {

  /** This input with another host path. */
  public InputSpec withPath(String newPath) {
    return new InputSpec(newPath, mount);
  }
}
