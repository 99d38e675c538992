package io.stepbox.workflows.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Another way to do a step, tried from the step's restore point when the step's own command failed.
 *
 * @param name shown in status output; unique within its step, and never {@code default}
 * @param run the shell command ({@code sh -c}, the image's shell); or null with {@code argv}
 * @param argv the command as a program and its arguments, run without any shell; or null with
 *     {@code run}
 * @param network this approach's network, replacing the step's (or task's) whole; null means the
 *     step's
 */
public record ApproachSpec(String name, String run, List<String> argv, NetworkSpec network) {
  /** An approach on the step's network. */
  public ApproachSpec(String name, String run, List<String> argv) {
    this(name, run, argv, null);
  }

  /** An approach that runs a shell line. */
  public ApproachSpec(String name, String run) {
    this(name, run, null, null);
  }

  /** {@code argv} as a copy, null when empty. */
  public ApproachSpec {
    argv =
        argv == null || argv.isEmpty() ? null : Collections.unmodifiableList(new ArrayList<>(argv));
  }

  /** This approach on {@code newNetwork}. */
  public ApproachSpec withNetwork(NetworkSpec newNetwork) {
    return new ApproachSpec(name, run, argv, newNetwork);
  }

  /** The command as people read it: the shell line, or the argv's words. */
  public String display() {
    return argv == null ? run : String.join(" ", argv);
  }
}
