package io.stepbox.cli.sandbox;

import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.UsageException;
import io.stepbox.sandbox.CommandResult;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Mount;
import io.stepbox.sandbox.NetworkPolicy;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code stepbox sandbox run|create|exec|cp|rm|ls|reap}: the sandbox runtime from a shell. */
public final class SandboxCommand {
  static final String HELP =
      """
      usage: stepbox sandbox run    [SPEC OPTIONS] [--timeout T] -- CMD...   one-shot; exits with CMD's code
             stepbox sandbox create [SPEC OPTIONS] [--from-snapshot ID]     prints the sandbox id last
             stepbox sandbox snapshot ID [--task T] [--step S]              prints the snapshot id last
             stepbox sandbox exec ID [--timeout T] [--env K=V] [--workdir D] -- CMD...
             stepbox sandbox cp ID:PATH LOCAL|-    or    LOCAL|- ID:DIR    (- is a tar stream)
             stepbox sandbox rm ID...
             stepbox sandbox ls [--json]
             stepbox sandbox reap                                           remove expired sandboxes
      spec options:
        --image I (default stepbox/base:busybox)  --memory M (1g)  --cpus C (1)
        --processes N (512; alias --pids)
        --disk D (needs overlay2 on xfs)  --lifetime T (1h)  --network none|NAME (none; NAME must be
        an --internal Docker network)  --env K=V  --workdir D  --mount HOST:CONTAINER (read-only)
        --runtime R (runsc)  --allow-unsafe-runtime (required for a runtime other than gVisor)
      Durations are written like 30s, 10m, 1h; sizes like 512m, 1g.
      Exit codes: CMD's own; 124 when it timed out; 137 when the sandbox ran out of memory;
      125 when stepbox could not run it; 2 for a bad command line.""";


  private static final Set<String> SPEC_OPTIONS =
      Set.of(
          "image",
          "memory",
          "cpus",
          "processes",
          "pids",
          "disk",
          "lifetime",
          "network",
          "env",
          "workdir",
          "mount",
          "runtime");
  private static final Set<String> SPEC_FLAGS = Set.of("allow-unsafe-runtime");

  private final Cli cli;

  public SandboxCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      cli.out().println(HELP);
      return argv.isEmpty() ? 2 : 0;
    }
    List<String> rest = argv.subList(1, argv.size());
    return switch (argv.get(0)) {
      case "run" -> runOnce(rest);
      case "create" -> create(rest);
      case "snapshot" -> snapshot(rest);
      case "exec" -> exec(rest);
      case "cp" -> new CopyCommand(cli).run(rest);
      case "rm" -> remove(rest);
      case "ls" -> list(rest);
      case "reap" -> reap(rest);
      default ->
          throw new UsageException(
              "unknown command 'sandbox " + argv.get(0) + "'; stepbox sandbox --help lists them");
    };
  }

  private int runOnce(List<String> argv) {
    Args args = Args.parse("sandbox run", argv, union(SPEC_OPTIONS, Set.of("timeout")), SPEC_FLAGS);
    SandboxSpec spec = spec(args);
    ExecRequest request = request(args, args.commandLine()); // every input checked before create
    SandboxRuntime rt = cli.runtime();
    Sandbox sandbox = rt.create(spec);
    // Ctrl-C or SIGTERM: remove the sandbox on the way out instead of leaving it for the reaper.
    Thread cleanup = new Thread(() -> rt.destroy(sandbox), "stepbox-sandbox-run-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      return execAndReport(sandbox, args, request);
    } finally {
      rt.destroy(sandbox);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran; destroy is idempotent.
      }
    }
  }

  private int create(List<String> argv) {
    Args args =
        Args.parse(
            "sandbox create", argv, union(SPEC_OPTIONS, Set.of("from-snapshot")), SPEC_FLAGS);
    Optional<String> from = args.get("from-snapshot");
    Sandbox sandbox;
    if (from.isPresent()) {
      String image =
          args.get("image").orElseGet(() -> cli.snapshots().manifest(from.get()).image());
      sandbox = cli.snapshots().restore(from.get(), spec(args, image));
    } else {
      sandbox = cli.runtime().create(spec(args));
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

  private int exec(List<String> argv) {
    Args args = Args.parse("sandbox exec", argv, Set.of("timeout", "env", "workdir"), Set.of());
    ExecRequest request = request(args, args.commandLine());
    Sandbox sandbox = cli.runtime().find(args.positional(0, "the sandbox id"));
    return execAndReport(sandbox, args, request);
  }

  private static ExecRequest request(Args args, List<String> command) {
    ExecRequest.Builder request = ExecRequest.newBuilder(command).setOutputLimit(0);
    args.duration("timeout").ifPresent(request::setTimeout);
    args.get("workdir").ifPresent(request::setWorkdir);
    env(args).forEach(request::putEnv);
    return request.build();
  }

  /** Runs the command with output streamed to ours and turns the outcome into an exit code. */
  private int execAndReport(Sandbox sandbox, Args args, ExecRequest request) {
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

  private int remove(List<String> argv) {
    Args args = Args.parse("sandbox rm", argv, Set.of(), Set.of());
    args.positional(0, "the sandbox id");
    for (String id : args.positionals()) {
      Sandbox sandbox = cli.runtime().find(id);
      cli.runtime().destroy(sandbox);
      cli.out().println(sandbox.shortId());
    }
    return 0;
  }

  private int list(List<String> argv) {
    Args args = Args.parse("sandbox ls", argv, Set.of(), Set.of("json"));
    List<SandboxInfo> all = cli.runtime().list();
    if (args.flag("json")) {
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

  private int reap(List<String> argv) {
    Args.parse("sandbox reap", argv, Set.of(), Set.of());
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

  private int snapshot(List<String> argv) {
    Args args = Args.parse("sandbox snapshot", argv, Set.of("task", "step"), Set.of());
    Sandbox sandbox = cli.runtime().find(args.positional(0, "the sandbox id"));
    long start = System.nanoTime();
    Manifest m =
        cli.snapshots()
            .capture(
                sandbox,
                args.get("task").orElse(sandbox.task().orElse(null)),
                args.get("step").orElse(sandbox.step().orElse(null)));
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

  private SandboxSpec spec(Args args) {
    return spec(args, args.get("image").orElse(Images.DEFAULT));
  }

  private SandboxSpec spec(Args args, String image) {
    SandboxSpec.Builder b =
        SandboxSpec.newBuilder(image)
            .setRuntime(args.get("runtime").orElse(cli.config().runtime()))
            .setAllowUnsafeRuntime(args.flag("allow-unsafe-runtime"))
            .setNetwork(NetworkPolicy.parse(args.get("network").orElse(null)));
    args.bytes("memory").ifPresent(b::setMemoryBytes);
    args.number("cpus").ifPresent(b::setCpus);
    args.number("processes")
        .or(() -> args.number("pids"))
        .ifPresent(n -> b.setProcesses(n.intValue()));
    args.bytes("disk").ifPresent(b::setDiskBytes);
    args.duration("lifetime").ifPresent(b::setLifetime);
    args.get("workdir").ifPresent(b::setWorkdir);
    args.all("mount").forEach(m -> b.addMount(Mount.parse(m)));
    env(args).forEach(b::putEnv);
    return b.build();
  }

  private static Map<String, String> env(Args args) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : args.all("env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--env: '" + kv + "' must be NAME=VALUE");
      }
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return u;
  }
}
