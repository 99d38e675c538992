package io.stepbox.workflows.testkit;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSecret;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import io.stepbox.workflows.step.StepActivities;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepRequest;
import io.stepbox.workflows.step.StepResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's step activities without sandboxes: the command decides the outcome. {@code exit N}
 * exits with N, {@code oom} is OOM_KILLED, {@code slow} is TIMED_OUT, {@code invalid} fails as an
 * invalid step; anything else exits 0. With egress, each {@code fetch HOST[:PORT]} (port 443 by
 * default) asks the request's policy in order, and hosts named {@code private.*} resolve to a
 * private address; the first denied fetch exits 1, and the result carries the audit summary. Every
 * run gets a new snapshot id {@code snap-N}.
 */
public final class FakeStepActivities implements StepActivities {
  private static final Pattern EXIT = Pattern.compile("exit (\\d+)");
  private static final Pattern FETCH = Pattern.compile("fetch (\\S+?)(?::(\\d+))?(?=[\\s;&|]|$)");

  private final String queue;
  private final FakeWorld world;

  /** The activities of a worker polling {@code queue}, recording into {@code world}. */
  public FakeStepActivities(String queue, FakeWorld world) {
    this.queue = queue;
    this.world = world;
  }

  @Override
  public StepResult runStep(StepRequest r) {
    world.started();
    StepResult result = null;
    try {
      world.awaitGate();
      if (r.command().contains("invalid")) {
        throw ApplicationFailure.newNonRetryableFailure("command: invalid", INVALID_STEP);
      }
      if (r.warmSandboxId() != null) {
        world.take(r.warmSandboxId());
      }
      result = result(r, world.next());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      world.finished(new FakeWorld.Run(queue, r, result));
    }
  }

  private StepResult result(StepRequest r, int n) {
    Matcher m = EXIT.matcher(r.command());
    int exit = m.find() ? Integer.parseInt(m.group(1)) : 0;
    ExecOutcome outcome = ExecOutcome.EXITED;
    if (r.command().contains("oom")) {
      outcome = ExecOutcome.OOM_KILLED;
      exit = 137;
    } else if (r.command().contains("slow")) {
      outcome = ExecOutcome.TIMED_OUT;
      exit = -1;
    }
    EgressSummary egress = egress(r, n);
    if (egress != null && egress.denied() > 0) {
      exit = 1;
    }
    boolean warm = world.keepsWarm(r.keepWarm());
    return new StepResult(
        r.taskId(),
        r.stepId(),
        r.approach(),
        outcome,
        exit,
        "ran " + r.command(),
        "",
        "out/" + n,
        "err/" + n,
        10,
        0,
        "snap-" + n,
        100 * n,
        10 * n,
        n,
        new StepPhases(1, r.warmSandboxId() == null ? 2 : 0, 3, 4, 10),
        warm ? world.warmQueue() : null,
        warm ? "sb-" + n : null,
        r.warmSandboxId() != null,
        egress);
  }

  /** What the command's fetches did through the proxy, up to the first denial; null: no egress. */
  private static EgressSummary egress(StepRequest r, int n) {
    if (r.egress() == null) {
      return null;
    }
    List<EgressRecord> records = new ArrayList<>();
    Matcher m = FETCH.matcher(r.command());
    while (m.find()) {
      String host = m.group(1);
      int port = m.group(2) == null ? 443 : Integer.parseInt(m.group(2));
      Optional<EgressPolicy.Reason> denied = r.egress().check(host, port);
      if (denied.isEmpty() && host.startsWith("private.")) {
        denied = Optional.of(EgressPolicy.Reason.PRIVATE_ADDRESS);
      }
      String reason = denied.map(Enum::name).orElse(null);
      String message = denied.map(d -> EgressPolicy.explain(d, host, port)).orElse(null);
      String secret = r.egress().secretFor(host).map(EgressSecret::name).orElse(null);
      records.add(
          new EgressRecord(
              n,
              denied.isPresent() ? EgressRecord.DENIED : EgressRecord.ALLOWED,
              "CONNECT",
              host,
              port,
              host,
              denied.isPresent() ? 403 : 200,
              10,
              denied.isPresent() ? 0 : 100,
              denied.isPresent() ? null : secret,
              reason,
              message));
      if (denied.isPresent()) {
        break;
      }
    }
    return EgressSummary.of(records, "egress/" + n);
  }

  @Override
  public ExportResult exportPaths(ExportRequest request) {
    world.exported(request);
    return new ExportResult("exports/" + request.taskId() + ".tar", 2048, List.of());
  }

  @Override
  public void releaseWarm(String sandboxId) {
    world.released(new FakeWorld.Release(queue, sandboxId));
  }
}
