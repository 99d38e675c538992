package io.stepbox.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepbox.cli.Args;
import io.stepbox.cli.Cli;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.Text;
import io.stepbox.cli.UsageException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code stepbox session start|exec|fork|close|status|logs}: sessions for agents that decide. */
public final class SessionCommand {
  static final String HELP =
      """
      usage: stepbox session start [--image I] [--from-snapshot ID] [--id ID] [--idle-timeout T]
                                   [--env K=V] [--workdir D] [--json]      prints the session id
             stepbox session exec ID [--timeout T] [--env K=V] [--workdir D] [--json] -- CMD...
             stepbox session fork ID [--json]                  prints the new session's id
             stepbox session close ID [--json]                 prints the final snapshot id
             stepbox session status ID [--json]
             stepbox session logs ID [--stderr]                the last exec's full output
      A session runs each exec as one durable step from its current snapshot (sh -c CMD; one
      argument is a shell line, several are quoted as words); a worker (stepbox worker) runs them.
      The image defaults to the snapshot's image, else stepbox/base:busybox. An idle session
      (default 30m) ends and keeps its snapshot.
      Exit codes: exec exits with CMD's code, 124 when it timed out, 137 when it ran out of memory;
      1 no such session, or it is closed; 2 bad command line; 125 Temporal unreachable or the exec
      could not run.""";

  static final String DEFAULT_IMAGE = Images.DEFAULT;

  private final Cli cli;

  public SessionCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      cli.out().println(HELP);
      return argv.isEmpty() ? 2 : 0;
    }
    List<String> rest = argv.subList(1, argv.size());
    return switch (argv.get(0)) {
      case "start" -> start(rest);
      case "exec" -> new SessionExec(cli).run(rest);
      case "fork" -> fork(rest);
      case "close" -> close(rest);
      case "status" -> status(rest);
      case "logs" -> logs(rest);
      default ->
          throw new UsageException(
              "unknown command 'session " + argv.get(0) + "'; stepbox session --help lists them");
    };
  }

  private int start(List<String> argv) {
    Args args =
        Args.parse(
            "session start",
            argv,
            Set.of("image", "from-snapshot", "id", "idle-timeout", "env", "workdir"),
            Set.of("json"));
    Optional<String> from = args.get("from-snapshot");
    String image = args.get("image").orElseGet(() -> from.map(this::imageOf).orElse(DEFAULT_IMAGE));
    SessionOptions options = options(args, image, from.orElse(null));
    String id;
    try (StepboxClient sessions = cli.connectClient()) {
      id = sessions.openSession(options).id();
    }
    if (args.flag("json")) {
      cli.printJson(Map.of("id", id));
    } else {
      cli.err().println(
          "started session "
              + id
              + " on "
              + image
              + from.map(s -> " from snapshot " + s).orElse("")
              + "; run commands with: stepbox session exec "
              + id
              + " -- CMD");
      cli.out().println(id);
    }
    return TaskExit.OK;
  }

  static SessionOptions options(Args args, String image, String fromSnapshot) {
    var exec = SessionExec.options(args);
    return SessionOptions.newBuilder(image)
        .setBaseSnapshotId(fromSnapshot)
        .setId(args.get("id").orElse(null))
        .setIdleTimeout(args.duration("idle-timeout").orElse(null))
        .setEnv(exec.env())
        .setWorkdir(exec.workdir())
        .build();
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

  private int fork(List<String> argv) {
    Args args = Args.parse("session fork", argv, Set.of(), Set.of("json"));
    String id = args.positional(0, "the session id");
    String forkId;
    try (StepboxClient sessions = cli.connectClient()) {
      forkId = sessions.session(id).fork().id();
    }
    if (args.flag("json")) {
      cli.printJson(Map.of("id", forkId));
    } else {
      cli.err().println("forked session " + id + " into " + forkId);
      cli.out().println(forkId);
    }
    return TaskExit.OK;
  }

  private int close(List<String> argv) {
    Args args = Args.parse("session close", argv, Set.of(), Set.of("json"));
    String id = args.positional(0, "the session id");
    SessionState state;
    try (StepboxClient sessions = cli.connectClient()) {
      state = sessions.session(id).close();
    }
    if (args.flag("json")) {
      cli.printJson(state);
    } else {
      cli.err().println("closed session " + id + " after " + state.execCount() + " execs");
      cli.out().println(state.snapshotId() == null ? "" : state.snapshotId());
    }
    return TaskExit.OK;
  }

  private int status(List<String> argv) {
    Args args = Args.parse("session status", argv, Set.of(), Set.of("json"));
    SessionState state = state(args.positional(0, "the session id"));
    if (args.flag("json")) {
      cli.printJson(state);
    } else {
      describe(state).forEach(cli.out()::println);
    }
    return TaskExit.OK;
  }

  private int logs(List<String> argv) {
    Args args = Args.parse("session logs", argv, Set.of(), Set.of("stderr"));
    String id = args.positional(0, "the session id");
    OutputKind kind = args.flag("stderr") ? OutputKind.STDERR : OutputKind.STDOUT;
    try (StepboxClient sessions = cli.connectClient()) {
      SessionHandle session = sessions.session(id);
      StepResult last = session.state().lastResult();
      if (last == null) {
        throw new CommandException(TaskExit.FAILED, "session " + id + " has run no exec yet", null);
      }
      cli.copyToOut(
          session.openOutput(ExecResult.of(last), kind), "the output from " + cli.config().blobUrl());
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
    return List.of(
        line,
        "last exec "
            + r.stepId()
            + ": "
            + r.outcome()
            + " "
            + r.exitCode()
            + ", "
            + Text.duration(r.phases().totalMillis()));
  }
}
