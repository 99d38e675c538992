package io.stepbox.cli.session;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.ShellWords;
import io.stepbox.cli.UsageException;
import io.stepbox.client.ExecResult;
import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.session.ExecOptions;
import io.stepbox.workflows.step.ExecOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code stepbox session exec ID [--timeout T] [--env K=V] [--workdir D] [--json] -- CMD...}: one
 * durable step in a session; prints the output's tails and exits with the command's code.
 */
final class SessionExec {
  private final Cli cli;

  SessionExec(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    Args args =
        Args.parse("session exec", argv, Set.of("timeout", "env", "workdir"), Set.of("json"));
    String id = args.positional(0, "the session id");
    String command = ShellWords.shellLine(args.commandLine());
    ExecOptions options = options(args);
    ExecResult r;
    try (StepboxClient sessions = cli.connectClient()) {
      r = sessions.session(id).exec(command, options);
    }
    if (args.flag("json")) {
      cli.printJson(r.step());
    } else {
      report(id, r);
    }
    return r.shellExitCode();
  }

  /** The options of the exec, checked here so that mistakes are usage errors. */
  static ExecOptions options(Args args) {
    Long timeout = args.duration("timeout").map(Duration::toMillis).orElse(null);
    String workdir = args.get("workdir").orElse(null);
    if (workdir != null && !workdir.startsWith("/")) {
      throw new UsageException("--workdir: '" + workdir + "' must be an absolute path");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : args.all("env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--env: '" + kv + "' must be NAME=VALUE");
      }
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return new ExecOptions(timeout, env, workdir);
  }


  private void report(String id, ExecResult r) {
    cli.out().print(r.stdoutTail());
    cli.out().flush();
    cli.err().print(r.stderrTail());
    note("stdout", r.stdoutTail(), r.step().stdoutBytes(), id, "");
    note("stderr", r.stderrTail(), r.step().stderrBytes(), id, " --stderr");
    if (r.outcome() == ExecOutcome.TIMED_OUT) {
      cli.err().println(
          "stepbox: the command timed out and was killed; the session moved on to its snapshot");
    } else if (r.outcome() == ExecOutcome.OOM_KILLED) {
      cli.err().println("stepbox: the command ran out of memory and was killed");
    }
  }

  private void note(String stream, String tail, long bytes, String id, String flag) {
    long shown = tail == null ? 0 : tail.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > shown) {
      cli.err().printf(
          "stepbox: showing the last %s of %s of %s; all of it: stepbox session logs %s%s%n",
          Units.formatBytes(shown), Units.formatBytes(bytes), stream, id, flag);
    }
  }
}
