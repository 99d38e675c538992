package io.stepbox.cli.sandbox;

import io.stepbox.cli.Cli;
import io.stepbox.cli.ProcessOptions;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.TimeoutOption;
import io.stepbox.cli.UsageException;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.OutputListener;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxInfo;
import io.stepbox.sandbox.SandboxLabels;
import io.stepbox.sandbox.SandboxReaper;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.snapshot.Manifest;
import io.stepbox.workflows.ExitCodes;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.Units;
import io.stepbox.workflows.step.ExecOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepbox sandbox run|create|exec|cp|rm|ls|reap}: the sandbox runtime from a shell. */
@Command(
    name = "sandbox",
    description = "run commands in gVisor sandboxes",
    subcommands = {
      SandboxCommand.RunOnce.class,
      SandboxCommand.Create.class,
      SandboxCommand.Snapshot.class,
      SandboxCommand.Exec.class,
      CopyCommand.class,
      SandboxCommand.Remove.class,
      SandboxCommand.ListAll.class,
      SandboxCommand.Reap.class
    },
    footer = {
      "Durations are written like 30s, 10m, 1h; sizes like 512m, 1g. --network none|NAME: none by"
          + " default; NAME must be an --internal Docker network. --allow-host H[:PORT]: the"
          + " sandbox reaches those hosts by name through stepbox's egress proxy, and nothing"
          + " else; not with --network.",
      "Exit codes: CMD's own; 124 when it timed out; 137 when the sandbox ran out of memory; 125"
          + " when stepbox could not run it; 2 for a bad command line."
    })
public final class SandboxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Cli cli;

  SandboxCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }

  private int runOnce(SpecOptions options, ExecFlags exec) {
    SandboxSpec spec = options.spec(image(options), cli.config().runtime());
    ExecRequest request = request(exec, "sandbox run"); // every input checked before create
    SandboxRuntime rt = cli.runtime();
    Sandbox sandbox = rt.create(spec);
    // Ctrl-C or SIGTERM: remove the sandbox on the way out instead of leaving it for the reaper.
    Thread cleanup = new Thread(() -> rt.destroy(sandbox), "stepbox-sandbox-run-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      return execAndReport(sandbox, request);
    } finally {
      rt.destroy(sandbox);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran; destroy is idempotent.
      }
    }
  }

  private int create(SpecOptions args, String from) {
    args.network(); // a bad --allow-host/--network pair is a usage error before the engine is asked
    Sandbox sandbox;
    if (from != null) {
      String image = args.image != null ? args.image : cli.snapshots().manifest(from).image();
      sandbox = cli.snapshots().restore(from, args.spec(image, cli.config().runtime()));
    } else {
      sandbox = cli.runtime().create(args.spec(image(args), cli.config().runtime()));
    }
    cli.err().println(
        "created sandbox "
            + sandbox.shortId()
            + " ("
            + sandbox.image()
            + "), expires "
            + sandbox.expiresAt()
            + "; remove it with: stepbox sandbox rm "
            + sandbox.shortId());
    cli.out().println(sandbox.id());
    return 0;
  }

  private int exec(String id, ExecFlags args) {
    ExecRequest request = request(args, "sandbox exec " + id);
    Sandbox sandbox = cli.runtime().find(id);
    return execAndReport(sandbox, request);
  }

  private static ExecRequest request(ExecFlags args, String command) {
    if (args.command().isEmpty()) {
      throw new UsageException(
          "missing the command to run after --, for example: stepbox "
              + command
              + " -- echo hello");
    }
    ExecRequest.Builder request = ExecRequest.newBuilder(args.command()).setOutputLimit(0);
    if (args.timeout() != null) {
      request.setTimeout(args.timeout());
    }
    if (args.process().workdir() != null) {
      request.setWorkdir(args.process().workdir());
    }
    args.process().env().forEach(request::putEnv);
    return request.build();
  }

  /** Runs the command with output streamed to ours and turns the outcome into an exit code. */
  private int execAndReport(Sandbox sandbox, ExecRequest request) {
    OutputListener echo =
        (stream, data, off, len) ->
            (stream == OutputListener.Stream.STDOUT ? cli.out() : cli.err()).write(data, off, len);
    CommandResult result = cli.runtime().exec(sandbox, request, echo);
    cli.out().flush();
    if (result.outcome() == ExecOutcome.TIMED_OUT) {
      cli.err().println(
          "stepbox: timed out after "
              + Units.formatDuration(request.timeout())
              + "; the command and "
              + "every process it started were killed");
      return ExitCodes.TIMED_OUT;
    }
    if (result.outcome() == ExecOutcome.OOM_KILLED) {
      cli.err().println("stepbox: the sandbox ran out of memory and was killed; raise --memory");
      return ExitCodes.OOM_KILLED;
    }
    return result.exitCode();
  }

  private int remove(List<String> ids) {
    for (String id : ids) {
      Sandbox sandbox = cli.runtime().find(id);
      cli.runtime().destroy(sandbox);
      cli.out().println(sandbox.shortId());
    }
    return 0;
  }

  private int list(boolean json) {
    List<SandboxInfo> all = cli.runtime().list();
    if (json) {
      cli.printJson(all.stream().map(SandboxCommand::asMap).toList());
      return 0;
    }
    cli.out().printf(
        "%-12s  %-24s  %-8s  %-12s  %-16s  %s%n",
        "ID", "IMAGE", "STATE", "WORKER", "TASK/STEP", "EXPIRES");
    for (SandboxInfo s : all) {
      Map<String, String> l = s.labels();
      cli.out().printf(
          "%-12s  %-24s  %-8s  %-12s  %-16s  %s%n",
          s.id().substring(0, 12),
          s.image(),
          s.state(),
          l.getOrDefault(SandboxLabels.WORKER, "-"),
          s.inPool()
              ? "(pool)"
              : l.getOrDefault(SandboxLabels.TASK, "-") + "/" + l.getOrDefault(SandboxLabels.STEP, "-"),
          s.expiresAt().map(Instant::toString).orElse("-"));
    }
    return 0;
  }

  private int reap() {
    SandboxReaper.Report r = SandboxReaper.manual(cli.runtime(), false).reapNow();
    cli.out().printf(
        "removed %d expired and %d stopped sandboxes, ended %d stray runsc processes%n",
        r.expired().size(), r.stopped().size(), r.strayProcesses().size());
    return 0;
  }

  private static Map<String, Object> asMap(SandboxInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("image", s.image());
    m.put("state", s.state());
    m.put("created", s.created().toString());
    m.put("expires", s.expiresAt().map(Instant::toString).orElse(null));
    m.put("labels", s.labels());
    m.put("inPool", s.inPool());
    return m;
  }

  private int snapshot(String id, String task, String step) {
    Sandbox sandbox = cli.runtime().find(id);
    long start = System.nanoTime();
    Manifest m =
        cli.snapshots()
            .capture(
                sandbox,
                task != null ? task : sandbox.task().orElse(null),
                step != null ? step : sandbox.step().orElse(null));
    cli.err().printf(
        "snapshot of sandbox %s: %d entries, %s of tar in %d chunks, %s uploaded, %d deletions,"
            + " %d ms%n",
        sandbox.shortId(),
        m.fileCount(),
        Units.formatBytes(m.tarBytes()),
        m.chunks().size(),
        Units.formatBytes(m.uploadedBytes()),
        m.deletions().size(),
        (System.nanoTime() - start) / 1_000_000);
    cli.out().println(m.id());
    return 0;
  }

  private static String image(SpecOptions spec) {
    return spec.image != null ? spec.image : Images.DEFAULT;
  }

  /** What to run in a sandbox: the command after {@code --}, with its timeout and environment. */
  record ExecFlags(Duration timeout, ProcessOptions process, List<String> command) {}

  @Command(
      name = "run",
      description = "one-shot: a sandbox for CMD, removed after; exits with CMD's code",
      customSynopsis = "stepbox sandbox run [SPEC OPTIONS] [--timeout T] -- CMD...")
  static final class RunOnce implements Callable<Integer> {
    @Mixin SpecOptions spec;

    @Mixin TimeoutOption timeout;

    @Parameters(paramLabel = "CMD", description = "the command, after --")
    List<String> command = new ArrayList<>();

    private final Cli cli;

    RunOnce(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli)
          .runOnce(spec, new ExecFlags(timeout.timeout(), spec.process, command));
    }
  }

  @Command(name = "create", description = "create a sandbox; prints its id last")
  static final class Create implements Callable<Integer> {
    @Mixin SpecOptions spec;

    @Option(names = "--from-snapshot", paramLabel = "ID", description = "restore a snapshot")
    String fromSnapshot;

    private final Cli cli;

    Create(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).create(spec, fromSnapshot);
    }
  }

  @Command(name = "snapshot", description = "snapshot a sandbox; prints the snapshot id last")
  static final class Snapshot implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "the sandbox id")
    String id;

    @Option(names = "--task", paramLabel = "T", description = "the task it is recorded for")
    String task;

    @Option(names = "--step", paramLabel = "S", description = "the step it is recorded for")
    String step;

    private final Cli cli;

    Snapshot(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).snapshot(id, task, step);
    }
  }

  @Command(
      name = "exec",
      description = "run CMD in a sandbox; exits with CMD's code",
      customSynopsis =
          "stepbox sandbox exec ID [--timeout T] [--env K=V]... [--workdir D] -- CMD...")
  static final class Exec implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "the sandbox id")
    String id;

    @Mixin TimeoutOption timeout;

    @Mixin ProcessOptions process;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "the command, after --")
    List<String> command = new ArrayList<>();

    private final Cli cli;

    Exec(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).exec(id, new ExecFlags(timeout.timeout(), process, command));
    }
  }

  @Command(name = "rm", description = "remove sandboxes")
  static final class Remove implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "the sandbox ids")
    List<String> ids;

    private final Cli cli;

    Remove(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).remove(ids);
    }
  }

  @Command(name = "ls", description = "every sandbox stepbox made on this engine")
  static final class ListAll implements Callable<Integer> {
    @Option(names = "--json", description = "a JSON list")
    boolean json;

    private final Cli cli;

    ListAll(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).list(json);
    }
  }

  @Command(name = "reap", description = "remove expired sandboxes")
  static final class Reap implements Callable<Integer> {
    private final Cli cli;

    Reap(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SandboxCommand(cli).reap();
    }
  }
}
