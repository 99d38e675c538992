package io.stepbox.workflows.spec;

import java.util.List;
import java.util.Map;

/**
 * A declared agent task, as users write it in YAML or JSON. The component names are the file
 * format: {@code name, image, limits, network, inputs, env, secrets, workdir, steps, exports}.
 *
 * <p>Missing collections read as empty, a missing {@code network} as {@code none} and missing
 * limits as the defaults of {@link io.stepbox.workflows.step.StepLimits#DEFAULTS}. The record
 * accepts anything; {@link TaskSpecValidator} says what is wrong with it.
 *
 * @param name a name for people, shown in status output
 * @param image the container image every step starts from
 * @param limits limits for every step; a step may override single fields
 * @param network {@code none}, or the name of an internal Docker network the worker knows
 * @param inputs host directories mounted read-only, by name
 * @param env environment variables of every step
 * @param secrets names of variables whose values the worker takes from its own environment
 * @param workdir working directory of every step; null means the image's
 * @param steps the steps, run in order
 * @param exports absolute paths copied to the object store when the task completes
 */
public record TaskSpec(
    String name,
    String image,
    LimitsSpec limits,
    String network,
    Map<String, InputSpec> inputs,
    Map<String, String> env,
    List<String> secrets,
    String workdir,
    List<StepSpec> steps,
    List<String> exports) {

  /** The network value that means no network at all (the default). */
  public static final String NO_NETWORK = "none";

  /** Fills defaults; keeps nulls inside collections for the validator to report. */
  public TaskSpec {
    limits = limits == null ? LimitsSpec.NONE : limits;
    network = network == null ? NO_NETWORK : network;
    inputs = Specs.map(inputs);
    env = Specs.map(env);
    secrets = Specs.list(secrets);
    steps = Specs.list(steps);
    exports = Specs.list(exports);
  }

  /** This spec with other inputs, for example with host paths made absolute. */
  public TaskSpec withInputs(Map<String, InputSpec> newInputs) {
    return new TaskSpec(
        name, image, limits, network, newInputs, env, secrets, workdir, steps, exports);
  }
}
