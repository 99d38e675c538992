package io.stepbox.cli.session;

import static java.util.stream.Collectors.joining;

import io.stepbox.cli.Cli;
import io.stepbox.cli.EgressText;
import io.stepbox.cli.ProcessOptions;
import io.stepbox.cli.ShellWords;
import io.stepbox.cli.TimeoutOption;
import io.stepbox.cli.UsageException;
import io.stepbox.client.ExecResult;
import io.stepbox.client.StepboxClient;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.session.ExecOptions;
import io.stepbox.workflows.step.ExecOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stepbox session exec ID [--timeout T] [--env K=V] [--workdir D] [--json] -- CMD...}: one
 * durable step in a session; prints the output's tails and exits with the command's code.
 */
@Command(
    name = "exec",
    description = "run CMD as one durable step of the session; exits with CMD's code",
    customSynopsis =
        "stepbox session exec ID [--timeout T] [--env K=V]... [--workdir D] [--json] -- CMD...")
final class SessionExec implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID", description = "the session id")
  String id;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "the command, after --")
  List<String> command = new ArrayList<>();

  @Mixin TimeoutOption timeout;

  @Mixin ProcessOptions process;

  @Option(names = "--json", description = "print the step's result object")
  boolean json;

  private final Cli cli;

  SessionExec(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (command.isEmpty()) {
      throw new UsageException(
          "missing the command to run after --, for example: stepbox session exec "
              + id
              + " -- echo hello");
    }
    ExecOptions options = options(timeout.timeout(), process);
    ExecResult r;
    try (StepboxClient sessions = cli.connectClient()) {
      r = sessions.session(id).exec(ShellWords.shellLine(command), options);
    }
    if (json) {
      cli.printJson(r.step());
    } else {
      report(id, r);
    }
    egressNote(id, r).ifPresent(cli.err()::println);
    return r.shellExitCode();
  }

  /**
   * The line that tells an agent why its command could not reach a host: what the egress proxy
   * denied, how to allow it, where the whole log is; empty when nothing was denied.
   */
  static Optional<String> egressNote(String id, ExecResult r) {
    EgressSummary egress = r.egress();
    if (egress.denied() == 0) {
      return Optional.empty();
    }
    List<String> hosts = EgressText.allowable(egress.firstDenials());
    String allow =
        hosts.isEmpty()
            ? ""
            : "; a session's hosts are set when it starts, so go on in a new one: stepbox session"
                + " start"
                + (r.snapshotId() == null ? "" : " --from-snapshot " + r.snapshotId())
                + hosts.stream()
                    .map(h -> " --allow-host " + ShellWords.quote(h))
                    .collect(joining());
    return Optional.of(
        "stepbox: the egress proxy denied "
            + egress.denied()
            + (egress.denied() == 1 ? " request" : " requests")
            + " of this exec: "
            + egress.firstDenials().stream().map(EgressText::denial).collect(joining(", "))
            + allow
            + "; every request: stepbox session logs "
            + id
            + " --egress");
  }

  /**
   * The options of an exec (also of {@code session start}, without a timeout), checked here so that
   * mistakes are usage errors.
   */
  static ExecOptions options(Duration timeout, ProcessOptions process) {
    String workdir = process.workdir();
    if (workdir != null && !workdir.startsWith("/")) {
      throw new UsageException("--workdir: '" + workdir + "' must be an absolute path");
    }
    return new ExecOptions(
        timeout == null ? null : timeout.toMillis(), process.env(), workdir);
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
