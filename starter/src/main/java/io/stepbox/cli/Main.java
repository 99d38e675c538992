package io.stepbox.cli;

import io.stepbox.bench.BenchSandboxCommand;
import io.stepbox.bench.BenchSnapshotCommand;
import io.stepbox.bench.BenchStepCommand;
import io.stepbox.bench.BenchWorkloadCommand;
import io.stepbox.cli.sandbox.SandboxCommand;
import io.stepbox.cli.schedule.ScheduleCommand;
import io.stepbox.cli.session.SessionCommand;
import io.stepbox.cli.snapshot.SnapshotCommand;
import io.stepbox.cli.task.DecideCommand;
import io.stepbox.cli.task.DemoCommand;
import io.stepbox.cli.task.FindCommand;
import io.stepbox.cli.task.LogsCommand;
import io.stepbox.cli.task.RunCommand;
import io.stepbox.cli.task.StatusCommand;
import io.stepbox.client.StepboxClientException;
import io.stepbox.connect.TemporalConnectException;
import io.stepbox.logging.Logging;
import io.stepbox.metrics.MetricsException;
import io.stepbox.sandbox.SandboxException;
import io.stepbox.snapshot.SnapshotException;
import io.stepbox.store.BlobStoreException;
import io.stepbox.workflows.task.Decision;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;


/**
 * The {@code stepbox} command line. Exit codes: the command's own, 1 failure, 2 usage, 3 task still
 * running, 125 engine or Temporal unavailable.
 */
public final class Main {
  static final String HELP =
      """
      stepbox: durable, sandboxed steps for AI-agent work

      usage: stepbox COMMAND [ARGS]
        setup                  make this host ready (root; Debian/Ubuntu): dockerd, gVisor, images
        doctor [--json]        check the host, one line per check with a fix
        demo [--json] [--interactive]   a durable task on a local stack: clone, install, test
                               fails, a fix passes, approval, publish (starts Temporal itself;
                               in memory, with a warning, when the temporal CLI is missing)
        worker [--steps N]     run tasks' workflows and steps (TEMPORAL_ADDRESS, STEPBOX_BLOB_URL);
                               serves Prometheus metrics at http://127.0.0.1:9464/metrics
        run TASK.yaml [--id ID] [--wait] [--json]   start a durable task (a worker runs it)
        status ID [--json]     where a task is: each step's approach, exit code, time, snapshot
        logs ID --step S [--stderr]                 a step's full output, from the blob store
        approve ID --step S [--reason R] [--by WHO] let a gated step run (reject: end the task)
        reject ID --step S [--reason R] [--by WHO]
        list [--status S] [--name N] [--limit N] [--json]   find tasks (Temporal visibility)
        approvals [--limit N] [--json]   tasks waiting for a decision, what they would run
        schedule ...           run a task on a cron or interval: create, list, pause, unpause,
                               trigger, delete (stepbox schedule --help)
        session ...            start, exec, fork, close sessions (stepbox session --help)
        sandbox ...            run commands in gVisor sandboxes (stepbox sandbox --help)
        snapshot ...           list, show, verify, export, gc snapshots (stepbox snapshot --help)
        bench sandbox [--runs N] [--json]   sandbox start-to-first-output vs raw docker-java
        bench snapshot [--json]             snapshot and restore of a 300 MiB tree vs tar and zstd
        bench step [--runs N] [--json]      a no-op durable step, cold and warm, vs a bare sandbox
        bench workload [--runs N] [--json]  a PyPI package's own tests: runc, runsc, durable task
        version                print the version

      stepbox --log-format json COMMAND (or STEPBOX_LOG_FORMAT=json): a JSON object per log line on
      stderr, with the task and step ids, the worker's notices too. run --wait and demo show a live
      step timeline on a terminal, a line per step event otherwise.

      Configuration comes from the environment: DOCKER_HOST, STEPBOX_WORKER_ID, STEPBOX_RUNTIME,
      STEPBOX_DATA_DIR, STEPBOX_BLOB_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, STEPBOX_TEMPORAL_CLI,
      STEPBOX_METRICS_PORT (9464; 0 any free port; off), STEPBOX_METRICS_HOST (127.0.0.1),
      STEPBOX_LOG_FORMAT (see README).

      Exit codes of run, status, logs, approve, reject: 0 ok (the task COMPLETED), 1 the task FAILED
      or was REJECTED, no such task, or a refused decision; 2 bad command line or invalid spec;
      3 the task is still running (status); 125 Temporal unreachable or no worker answered.
      session exec exits with the command's code (124 timed out, 137 out of memory).""";

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), StepboxConfig.fromEnvironment(), System.out, System.err));
  }

  static int run(List<String> line, StepboxConfig config, PrintStream out, PrintStream err) {
    GlobalOptions global;
    try {
      global = GlobalOptions.parse(line, config);
    } catch (UsageException e) {
      err.println("stepbox: " + e.getMessage());
      return 2;
    }
    Logging.configure(global.logFormat());
    List<String> argv = global.command();
    try (Cli cli = new Cli(config, global.logFormat(), System.in, out, err)) {
      if (argv.isEmpty()) {
        out.println(HELP);
        return 2;
      }
      List<String> rest = argv.subList(1, argv.size());
      return switch (argv.get(0)) {
        case "help", "--help", "-h" -> {
          out.println(HELP);
          yield 0;
        }
        case "version", "--version" -> {
          out.println("stepbox " + version());
          yield 0;
        }
        case "setup" -> throw new UsageException("run setup through the launcher: ./stepbox setup");
        case "doctor" -> new DoctorCommand(cli).run(rest);
        case "demo" -> new DemoCommand(cli).run(rest);
        case "worker" -> new WorkerCommand(cli).run(rest);
        case "run" -> new RunCommand(cli).run(rest);
        case "status" -> new StatusCommand(cli).run(rest);
        case "logs" -> new LogsCommand(cli).run(rest);
        case "approve" -> new DecideCommand(cli, Decision.APPROVE).run(rest);
        case "reject" -> new DecideCommand(cli, Decision.REJECT).run(rest);
        case "list" -> new FindCommand(cli).list(rest);
        case "approvals" -> new FindCommand(cli).approvals(rest);
        case "schedule" -> new ScheduleCommand(cli).run(rest);
        case "session" -> new SessionCommand(cli).run(rest);
        case "sandbox" -> new SandboxCommand(cli).run(rest);
        case "snapshot" -> new SnapshotCommand(cli).run(rest);
        case "bench" -> bench(cli, rest);
        default ->
            throw new UsageException(
                "unknown command '" + argv.get(0) + "'; stepbox help lists the commands");
      };
    } catch (UsageException e) {
      err.println("stepbox: " + e.getMessage());
      return 2;
    } catch (CommandException e) {
      err.println("stepbox: " + e.getMessage());
      return e.exitCode();
    } catch (StepboxClientException e) {
      err.println("stepbox: " + e.getMessage());
      return TaskExit.of(e);
    } catch (TemporalConnectException | MetricsException e) {
      err.println("stepbox: " + e.getMessage());
      return TaskExit.UNAVAILABLE;
    } catch (SandboxException e) {
      err.println("stepbox: " + e.getMessage());
      return e.reason() == SandboxException.Reason.NOT_FOUND ? 1 : 125;
    } catch (SnapshotException e) {
      err.println("stepbox: " + e.getMessage());
      return 1;
    } catch (BlobStoreException e) {
      err.println("stepbox: " + e.getMessage());
      return e.retryable() ? 125 : 1;
    } catch (UncheckedIOException e) {
      err.println("stepbox: " + e.getMessage());
      return 1;
    }
  }

  private static final String BENCH_USAGE =
      "usage: stepbox bench sandbox|snapshot|step|workload [--json]";

  private static int bench(Cli cli, List<String> argv) {
    if (argv.isEmpty()) {
      throw new UsageException(BENCH_USAGE);
    }
    List<String> rest = argv.subList(1, argv.size());
    return switch (argv.get(0)) {
      case "sandbox" -> new BenchSandboxCommand(cli).run(rest);
      case "snapshot" -> new BenchSnapshotCommand(cli).run(rest);
      case "step" -> new BenchStepCommand(cli).run(rest);
      case "workload" -> new BenchWorkloadCommand(cli).run(rest);
      default -> throw new UsageException(BENCH_USAGE);
    };
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
