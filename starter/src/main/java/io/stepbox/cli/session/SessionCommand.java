package io.stepbox.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepbox.cli.AllowHostOption;
import io.stepbox.cli.Cli;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.Converters;
import io.stepbox.cli.EgressLogOptions;
import io.stepbox.cli.EgressText;
import io.stepbox.cli.ProcessOptions;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.Text;
import io.stepbox.client.ExecResult;
import io.stepbox.client.OutputKind;
import io.stepbox.client.SessionHandle;
import io.stepbox.client.SessionOptions;
import io.stepbox.client.StepboxClient;
import io.stepbox.snapshot.Manifest;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.step.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepbox session start|exec|fork|close|status|logs}: sessions for agents that decide. */
@Command(
    name = "session",
    description = {
      "start, exec, fork, close sessions",
      "A session runs each exec as one durable step from its current snapshot (sh -c CMD; one"
          + " argument is a shell line, several are quoted as words); a worker (stepbox worker) runs"
          + " them. The image defaults to the snapshot's image, else "
          + Images.DEFAULT
          + ". An idle session (default 30m) ends and keeps its snapshot. Execs have no network,"
          + " unless the session started with --allow-host: then they reach those hosts through"
          + " stepbox's egress proxy, and nothing else."
    },
    subcommands = {
      SessionCommand.Start.class,
      SessionExec.class,
      SessionCommand.Fork.class,
      SessionCommand.Close.class,
      SessionCommand.Status.class,
      SessionCommand.Logs.class
    },
    footer = {
      "Exit codes: exec exits with CMD's code, 124 when it timed out, 137 when it ran out of memory;"
          + " 1 no such session, or it is closed; 2 bad command line; 125 Temporal unreachable or"
          + " the exec could not run."
    })
public final class SessionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  private final Cli cli;

  SessionCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }

  /** {@code session start}. */
  @Command(name = "start", description = "start a session; prints its id")
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--image",
        paramLabel = "I",
        description = "the image (the snapshot's, else " + Images.DEFAULT + ")")
    String image;

    @Option(names = "--from-snapshot", paramLabel = "ID", description = "start from a snapshot")
    String fromSnapshot;

    @Option(names = "--id", paramLabel = "ID", description = "the session's id")
    String id;

    @Option(
        names = "--idle-timeout",
        paramLabel = "T",
        converter = Converters.DurationValue.class,
        description = "end after T without an exec (default 30m)")
    Duration idleTimeout;

    @Mixin ProcessOptions exec;

    @Mixin AllowHostOption allowHost;

    @Option(names = "--json", description = "print {\"id\": ...}")
    boolean json;

    private final Cli cli;

    Start(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return new SessionCommand(cli).start(this);
    }
  }

  /** A command on one session, by id. */
  abstract static class OnSession implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "the session id")
    String id;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    final SessionCommand sessions;

    OnSession(Cli cli) {
      this.sessions = new SessionCommand(cli);
    }
  }

  @Command(name = "fork", description = "fork a session; prints the new session's id")
  static final class Fork extends OnSession {
    Fork(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      return sessions.fork(id, json);
    }
  }

  @Command(name = "close", description = "close a session; prints the final snapshot id")
  static final class Close extends OnSession {
    Close(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      return sessions.close(id, json);
    }
  }

  @Command(name = "status", description = "where a session is and what its last exec did")
  static final class Status extends OnSession {
    Status(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      return sessions.status(id, json);
    }
  }

  @Command(
      name = "logs",
      description = {
        "the last exec's full output or egress log",
        "--egress: a line per request through the egress proxy (time, decision, method,"
            + " host:port, status, bytes out and in, a secret's name, why it was denied); --json:"
            + " the log as stored, JSON lines."
      })
  static final class Logs implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "the session id")
    String id;

    @Option(names = "--stderr", description = "its stderr instead of its stdout")
    boolean stderr;

    @Mixin EgressLogOptions egress;

    private final Cli cli;

    Logs(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      egress.check(stderr);
      return new SessionCommand(cli).logs(this);
    }
  }


  private int start(Start args) {
    Optional<String> from = Optional.ofNullable(args.fromSnapshot);
    String image =
        args.image != null ? args.image : from.map(this::imageOf).orElse(Images.DEFAULT);
    SessionOptions options = options(args, image, from.orElse(null));
    String id;
    try (StepboxClient sessions = cli.connectClient()) {
      id = sessions.openSession(options).id();
    }
    if (args.json) {
      cli.printJson(Map.of("id", id));
    } else {
      cli.err().println(
          "started session "
              + id
              + " on "
              + image
              + from.map(s -> " from snapshot " + s).orElse("")
              + reaching(options.allowHosts())
              + "; run commands with: stepbox session exec "
              + id
              + " -- CMD");
      cli.out().println(id);
    }
    return TaskExit.OK;
  }

  static SessionOptions options(Start args, String image, String fromSnapshot) {
    var exec = SessionExec.options(null, args.exec);
    return SessionOptions.newBuilder(image)
        .setBaseSnapshotId(fromSnapshot)
        .setId(args.id)
        .setIdleTimeout(args.idleTimeout)
        .setEnv(exec.env())
        .setWorkdir(exec.workdir())
        .setAllowHosts(args.allowHost.hosts())
        .build();
  }

  private static String reaching(List<String> hosts) {
    return hosts.isEmpty()
        ? ""
        : ", reaching " + String.join(", ", hosts) + " through the egress proxy";
  }

  /** The image snapshot {@code id} was taken on, from its manifest in the blob store. */
  private String imageOf(String snapshotId) {
    try (InputStream in =
        cli.blobs()
            .get(Manifest.key(snapshotId))
            .orElseThrow(
                () ->
                    new CommandException(
                        TaskExit.FAILED,
                        "no snapshot "
                            + snapshotId
                            + " in the blob store "
                            + cli.config().blobUrl()
                            + "; stepbox snapshot ls lists them",
                        null))) {
      JsonNode image = cli.json().readTree(in).path("image");
      if (!image.isTextual()) {
        throw new CommandException(
            TaskExit.FAILED, "snapshot " + snapshotId + " names no image; pass --image", null);
      }
      return image.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of snapshot " + snapshotId, e);
    }
  }

  private int fork(String id, boolean json) {
    String forkId;
    try (StepboxClient sessions = cli.connectClient()) {
      forkId = sessions.session(id).fork().id();
    }
    if (json) {
      cli.printJson(Map.of("id", forkId));
    } else {
      cli.err().println("forked session " + id + " into " + forkId);
      cli.out().println(forkId);
    }
    return TaskExit.OK;
  }

  private int close(String id, boolean json) {
    SessionState state;
    try (StepboxClient sessions = cli.connectClient()) {
      state = sessions.session(id).close();
    }
    if (json) {
      cli.printJson(state);
    } else {
      cli.err().println("closed session " + id + " after " + state.execCount() + " execs");
      cli.out().println(state.snapshotId() == null ? "" : state.snapshotId());
    }
    return TaskExit.OK;
  }

  private int status(String id, boolean json) {
    SessionState state = state(id);
    if (json) {
      cli.printJson(state);
    } else {
      describe(state).forEach(cli.out()::println);
    }
    return TaskExit.OK;
  }

  private int logs(Logs args) {
    try (StepboxClient sessions = cli.connectClient()) {
      SessionHandle session = sessions.session(args.id);
      StepResult last = session.state().lastResult();
      if (last == null) {
        throw new CommandException(
            TaskExit.FAILED, "session " + args.id + " has run no exec yet", null);
      }
      ExecResult exec = ExecResult.of(last);
      String from = " from " + cli.config().blobUrl();
      if (!args.egress.egress()) {
        OutputKind kind = args.stderr ? OutputKind.STDERR : OutputKind.STDOUT;
        cli.copyToOut(session.openOutput(exec, kind), "the output" + from);
      } else if (args.egress.json()) {
        cli.copyToOut(session.openEgressLog(exec), "the egress log" + from);
      } else {
        EgressText.print(cli, session.egress(exec), "exec " + exec.stepId());
      }
    }
    return TaskExit.OK;
  }

  private SessionState state(String id) {
    try (StepboxClient sessions = cli.connectClient()) {
      return sessions.session(id).state();
    }
  }

  /** A session for people: where it is, and what its last exec did. */
  static List<String> describe(SessionState s) {
    String where = s.closed() ? "closed (" + s.endReason() + ")" : "open";
    String line =
        "session "
            + s.id()
            + " on "
            + s.image()
            + ": "
            + where
            + ", "
            + s.execCount()
            + " execs, "
            + s.forkCount()
            + " forks, snapshot "
            + (s.snapshotId() == null ? "(the image)" : s.snapshotId());
    StepResult r = s.lastResult();
    if (r == null) {
      return List.of(line);
    }
    String exec =
        "last exec "
            + r.stepId()
            + ": "
            + r.outcome()
            + " "
            + r.exitCode()
            + ", "
            + Text.duration(r.phases().totalMillis());
    return r.egress() == null
        ? List.of(line, exec)
        : List.of(line, exec + "; egress: " + EgressText.counts(r.egress()));
  }
}
