package io.stepbox.workflows.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link TaskSpec} before anything runs and reports every error at once, each with its
 * path, such as {@code steps[1].approaches[0].run: must not be empty}. Pure: no I/O, safe to call
 * from workflow code.
 */
public final class TaskSpecValidator {
  private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Set<String> SHARED_NETWORKS = Set.of("host", "bridge", "default");

  private TaskSpecValidator() {}

  /** Every error in {@code spec}, in reading order; empty when the spec can run. */
  public static List<SpecError> validate(TaskSpec spec) {
    SpecErrors errors = new SpecErrors();
    if (spec == null) {
      errors.add("", "the spec is empty");
      return errors.list();
    }
    errors.present("name", spec.name());
    if (errors.present("image", spec.image()) && spec.image().matches(".*\\s.*")) {
      errors.add("image", SpecErrors.quote(spec.image()) + " must not contain spaces");
    }
    LimitsChecks.check(errors, "limits", spec.limits());
    network(errors, spec.network());
    inputs(errors, spec.inputs());
    errors.env("env", spec.env());
    secrets(errors, spec.secrets(), spec.env());
    errors.absolute("workdir", spec.workdir(), true);
    new StepChecks(errors).check(spec.steps());
    for (int i = 0; i < spec.exports().size(); i++) {
      errors.absolute("exports[" + i + "]", spec.exports().get(i), false);
    }
    return errors.list();
  }

  /**
   * Returns {@code spec} when it is valid.
   *
   * @throws TaskSpecException listing every error otherwise
   */
  public static TaskSpec check(TaskSpec spec) {
    List<SpecError> errors = validate(spec);
    if (!errors.isEmpty()) {
      throw new TaskSpecException(errors);
    }
    return spec;
  }

  private static void network(SpecErrors errors, String network) {
    if (TaskSpec.NO_NETWORK.equals(network)) {
      return;
    }
    if (SHARED_NETWORKS.contains(network) || !NETWORK.matcher(network).matches()) {
      errors.add(
          "network",
          SpecErrors.quote(network)
              + " is not allowed; use none or the name of an internal Docker network");
    }
  }

  private static void inputs(SpecErrors errors, Map<String, InputSpec> inputs) {
    Set<String> targets = new HashSet<>();
    for (Map.Entry<String, InputSpec> e : inputs.entrySet()) {
      String at = "inputs." + e.getKey();
      if (e.getKey() == null || !SpecErrors.ID.matcher(e.getKey()).matches()) {
        errors.add(at, "not a valid input name (use a-z, 0-9, _ and -)");
      }
      InputSpec in = e.getValue();
      if (in == null) {
        errors.add(at, "must have a path and a mount");
        continue;
      }
      if (errors.present(at + ".path", in.path()) && !in.path().startsWith("/")) {
        errors.add(
            at + ".path",
            SpecErrors.quote(in.path())
                + " must be an absolute host path (spec files resolve it against their folder)");
      }
      errors.absolute(at + ".mount", in.mount(), false);
      if ("/".equals(in.mount())) {
        errors.add(at + ".mount", "must not be / ; mount an input below it, like /src/repo");
      } else if (in.mount() != null && !targets.add(in.mount())) {
        errors.add(at + ".mount", "duplicate mount target " + SpecErrors.quote(in.mount()));
      }
    }
  }

  private static void secrets(SpecErrors errors, List<String> secrets, Map<String, String> env) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < secrets.size(); i++) {
      String at = "secrets[" + i + "]";
      String name = secrets.get(i);
      if (!errors.present(at, name)) {
        continue;
      }
      if (!SpecErrors.ENV_NAME.matcher(name).matches()) {
        errors.add(at, SpecErrors.quote(name) + " is not a valid variable name");
      } else if (!seen.add(name)) {
        errors.add(at, "duplicate secret " + SpecErrors.quote(name));
      } else if (env.containsKey(name)) {
        errors.add(
            at,
            SpecErrors.quote(name) + " is also set in env; a secret comes only from the worker");
      }
    }
  }
}
