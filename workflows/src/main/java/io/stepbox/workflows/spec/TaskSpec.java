package io.stepbox.workflows.spec;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param network {@code none}, the name of an internal Docker network the worker knows, or an
 *     egress policy ({@link NetworkSpec}); steps and approaches may replace it
 * @param inputs host directories mounted read-only, by name
 * @param env environment variables of every step
 * @param secrets variables whose values the worker takes from its own environment: env secrets
 *     (set in the sandbox) and egress secrets (added by the egress proxy), see {@link SecretSpec}
 * @param workdir working directory of every step; null means the image's
 * @param steps the steps, run in order
 * @param exports absolute paths copied to the object store when the task completes
 */
public record TaskSpec(
    String name,
    String image,
    LimitsSpec limits,
    NetworkSpec network,
    Map<String, InputSpec> inputs,
    Map<String, String> env,
    List<SecretSpec> secrets,
    String workdir,
    List<StepSpec> steps,
    List<String> exports) {

  /** The network value that means no network at all (the default). */
  public static final String NO_NETWORK = "none";

  /** Fills defaults; keeps nulls inside collections for the validator to report. */
  public TaskSpec {
    limits = limits == null ? LimitsSpec.NONE : limits;
    network = network == null ? NetworkSpec.NONE : network;
    inputs = Specs.map(inputs);
    env = Specs.map(env);
    secrets = Specs.list(secrets);
    steps = Specs.list(steps);
    exports = Specs.list(exports);
  }

  /** A spec with a network name and env secrets only, as specs were before egress. */
  public TaskSpec(
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
    this(
        name,
        image,
        limits,
        network == null ? null : NetworkSpec.named(network),
        inputs,
        env,
        secrets == null ? null : secrets.stream().map(SecretSpec::env).toList(),
        workdir,
        steps,
        exports);
  }

  /** The names of the env secrets, which the worker sets in the sandbox's environment. */
  public List<String> envSecrets() {
    return secrets.stream().filter(s -> s != null && !s.isEgress()).map(SecretSpec::name).toList();
  }

  /** The egress secrets, which the egress proxy adds to requests for their hosts. */
  public List<EgressSecret> egressSecrets() {
    return secrets.stream()
        .filter(s -> s != null && s.isEgress())
        .map(SecretSpec::toEgress)
        .toList();
  }

  /**
   * The network {@code approach} of {@code step} runs on: the approach's own, else the step's, else
   * the task's. An override replaces the network whole.
   *
   * @param approach null for the step's own command
   */
  public NetworkSpec networkFor(StepSpec step, ApproachSpec approach) {
    if (approach != null && approach.network() != null) {
      return approach.network();
    }
    return step.network() != null ? step.network() : network;
  }

  /**
   * The egress policy {@code approach} of {@code step} runs with, with the task's egress secrets;
   * empty when its network is a name. Hosts approved later are not in it (the workflow adds them).
   *
   * @param approach null for the step's own command
   */
  public Optional<EgressPolicy> egressFor(StepSpec step, ApproachSpec approach) {
    NetworkSpec n = networkFor(step, approach);
    return n.isEgress() ? Optional.of(n.policy(egressSecrets())) : Optional.empty();
  }

  /** This spec with other inputs, for example with host paths made absolute. */
  public TaskSpec withInputs(Map<String, InputSpec> newInputs) {
    return new TaskSpec(
        name, image, limits, network, newInputs, env, secrets, workdir, steps, exports);
  }
}
