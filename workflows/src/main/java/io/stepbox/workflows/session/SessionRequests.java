package io.stepbox.workflows.session;

import io.stepbox.workflows.step.StepLimits;
import io.stepbox.workflows.step.StepRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Builds a session's step requests and checks exec commands. Pure. */
final class SessionRequests {
  private SessionRequests() {}

  /**
   * The request of exec number {@code n}, from {@code base}, with the session's egress policy; the
   * worker may keep it warm.
   */
  static StepRequest request(
      SessionInput input, String sessionId, long n, String base, ExecCommand command) {
    ExecOptions options = command.options();
    Map<String, String> env = new HashMap<>(input.env());
    env.putAll(options.env());
    StepLimits l = input.limits();
    if (options.timeoutMillis() != null) {
      l =
          new StepLimits(
              l.cpus(),
              l.memoryBytes(),
              l.processes(),
              options.timeoutMillis(),
              l.outputBytes(),
              l.diskBytes());
    }
    return new StepRequest(
        sessionId,
        "exec-" + n,
        StepRequest.DEFAULT_APPROACH,
        input.image(),
        base,
        command.command(),
        env,
        input.secretNames(),
        options.workdir() != null ? options.workdir() : input.workdir(),
        l,
        input.network(),
        input.mounts(),
        true,
        null,
        command.argv(),
        input.egress());
  }

  /** What is wrong with {@code command}, or null when it can run. */
  static String problem(ExecCommand command) {
    if (command == null) {
      return "command: must not be empty";
    }
    if (command.argv() != null) {
      if (command.command() != null) {
        return "command: give a shell line or an argv, not both";
      }
      if (command.argv().get(0) == null
          || command.argv().get(0).isBlank()
          || command.argv().stream().anyMatch(Objects::isNull)) {
        return "argv: must start with a program and hold no empty entries";
      }
    } else if (command.command() == null || command.command().isBlank()) {
      return "command: must not be empty";
    }
    ExecOptions o = command.options();
    if (o.timeoutMillis() != null && o.timeoutMillis() <= 0) {
      return "options.timeoutMillis: must be positive, got " + o.timeoutMillis();
    }
    if (o.workdir() != null && !o.workdir().startsWith("/")) {
      return "options.workdir: \"" + o.workdir() + "\" must be an absolute path";
    }
    if (o.env().containsValue(null)) {
      return "options.env: values must not be null (write \"\" for an empty one)";
    }
    return null;
  }
}
