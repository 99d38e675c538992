package io.stepbox.workflows.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link TaskSpec} before anything runs and reports every error at once, each with its
 * path, such as {@code steps[1].approaches[0].run: must not be empty}. Pure: no I/O, safe to call
 * from workflow code.
 */
public final class TaskSpecValidator {
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
    NetworkChecks networks = new NetworkChecks(errors, spec.secrets());
    networks.task(spec.network());
    inputs(errors, spec.inputs());
    errors.env("env", spec.env());
    SecretChecks.check(errors, spec);
    errors.absolute("workdir", spec.workdir(), true);
    new StepChecks(errors, networks).check(spec.steps());
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
}
