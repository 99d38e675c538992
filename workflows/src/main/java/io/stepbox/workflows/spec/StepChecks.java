package io.stepbox.workflows.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the steps of a spec: ids, commands, approaches, approval gates and overrides (network
 * overrides included).
 */
final class StepChecks {
  private final SpecErrors errors;
  private final NetworkChecks networks;
  private final Set<String> ids = new HashSet<>();

  StepChecks(SpecErrors errors, NetworkChecks networks) {
    this.errors = errors;
    this.networks = networks;
  }

  void check(List<StepSpec> steps) {
    if (steps.isEmpty()) {
      errors.add("steps", "at least one step is required");
    }
    for (int i = 0; i < steps.size(); i++) {
      step("steps[" + i + "]", steps.get(i));
    }
  }

  private void step(String path, StepSpec step) {
    if (step == null) {
      errors.add(path, "must not be empty");
      return;
    }
    errors.id(path + ".id", step.id(), ids);
    command(path, step.run(), step.argv());
    networks.override(path + ".network", step.network());
    approaches(path + ".approaches", step.approaches());
    approval(path + ".approval", step.approval());
    LimitsChecks.check(errors, path + ".limits", step.limits());
    errors.env(path + ".env", step.env());
    errors.absolute(path + ".workdir", step.workdir(), true);
  }

  private void approaches(String path, List<ApproachSpec> approaches) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < approaches.size(); i++) {
      String at = path + "[" + i + "]";
      ApproachSpec a = approaches.get(i);
      if (a == null) {
        errors.add(at, "must not be empty");
        continue;
      }
      if ("default".equals(a.name())) {
        errors.add(at + ".name", "\"default\" names the step's own command; choose another name");
      } else {
        errors.id(at + ".name", a.name(), names);
      }
      command(at, a.run(), a.argv());
      networks.override(at + ".network", a.network());
    }
  }

  /** Exactly one of a shell line and an argv, neither empty. */
  private void command(String path, String run, List<String> argv) {
    if (argv == null) {
      errors.present(path + ".run", run);
    } else if (run != null) {
      errors.add(path, "has both run and argv; give one (run is a shell line, argv a program)");
    } else if (argv.get(0) == null
        || argv.get(0).isBlank()
        || argv.stream().anyMatch(Objects::isNull)) {
      errors.add(path + ".argv", "must start with a program and hold no empty entries");
    }
  }

  private void approval(String path, ApprovalSpec approval) {
    if (approval == null) {
      return;
    }
    errors.duration(path + ".timeout", approval.timeout());
    String onTimeout = approval.onTimeout();
    if (!ApprovalSpec.REJECT.equals(onTimeout) && !ApprovalSpec.APPROVE.equals(onTimeout)) {
      errors.add(path + ".onTimeout", SpecErrors.quote(onTimeout) + " must be reject or approve");
    }
  }
}
