package io.stepbox.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.client.ExecResult;
import io.stepbox.client.SessionOptions;
import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.session.SessionState;
import io.stepbox.workflows.step.ExecOutcome;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.step.StepResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A session's allowed hosts, and what an exec says about requests the proxy denied. */
class SessionEgressTest {
  private static StepResult exec(EgressSummary egress) {
    return new StepResult(
        "s-1", "exec-3", "default", ExecOutcome.EXITED, 1, "", "", "o", "e", 0, 0, "snap-3", 0,
        0, 0, new StepPhases(0, 0, 10, 20, 30), null, null, false, egress);
  }

  @Test
  void everyAllowHostReachesTheSessionsOptions() {
    SessionCommand.Start start = new SessionCommand.Start(null);
    new CommandLine(start)
        .parseArgs("--allow-host", "pypi.org", "--allow-host", "*.pythonhosted.org:443");
    SessionOptions options = SessionCommand.options(start, "img", null);
    assertThat(options.allowHosts()).containsExactly("pypi.org", "*.pythonhosted.org:443");

    SessionCommand.Start none = new SessionCommand.Start(null);
    new CommandLine(none).parseArgs();
    assertThat(SessionCommand.options(none, "img", null).allowHosts()).isEmpty();
  }

  @Test
  void deniedRequestsGetOneLineWithTheHostsAndHowToAllowThem() {
    EgressSummary denied =
        new EgressSummary(
            1,
            3,
            0,
            0,
            0,
            List.of(
                new EgressDenial("files.test", 443, "NOT_ALLOWED", "m"),
                new EgressDenial("git.test", 8443, "PORT", "m"),
                new EgressDenial("10.0.0.1", 80, "IP_LITERAL", "m")),
            "log");
    assertThat(SessionExec.egressNote("s-1", ExecResult.of(exec(denied))))
        .hasValue(
            "stepbox: the egress proxy denied 3 requests of this exec: files.test:443"
                + " (NOT_ALLOWED), git.test:8443 (PORT), 10.0.0.1:80 (IP_LITERAL); a session's"
                + " hosts are set when it starts, so go on in a new one: stepbox session start"
                + " --from-snapshot snap-3 --allow-host files.test --allow-host git.test:8443;"
                + " every request: stepbox session logs s-1 --egress");
  }

  @Test
  void deniedRequestsNoAllowRuleLiftsGetNoAllowHint() {
    EgressSummary ip =
        new EgressSummary(
            0, 1, 0, 0, 0, List.of(new EgressDenial("10.0.0.1", 80, "IP_LITERAL", "m")), "log");
    assertThat(SessionExec.egressNote("s-1", ExecResult.of(exec(ip))))
        .hasValue(
            "stepbox: the egress proxy denied 1 request of this exec: 10.0.0.1:80 (IP_LITERAL);"
                + " every request: stepbox session logs s-1 --egress");
  }

  @Test
  void nothingDeniedNoNote() {
    assertThat(SessionExec.egressNote("s-1", ExecResult.of(exec(null)))).isEmpty();
    EgressSummary clean = new EgressSummary(5, 0, 1, 2, 0, List.of(), "log");
    assertThat(SessionExec.egressNote("s-1", ExecResult.of(exec(clean)))).isEmpty();
  }

  @Test
  void statusShowsTheLastExecsEgress() {
    EgressSummary clean = new EgressSummary(5, 1, 1, 2048, 0, List.of(), "log");
    SessionState state =
        new SessionState("s-1", "img", "snap-3", 3, 0, false, null, exec(clean));
    assertThat(SessionCommand.describe(state))
        .last()
        .isEqualTo(
            "last exec exec-3: EXITED 1, 30ms; egress: 5 allowed, 1 denied, 1 B out, 2.0 KiB in");
    SessionState noEgress = new SessionState("s-1", "img", "snap-3", 3, 0, false, null, exec(null));
    assertThat(SessionCommand.describe(noEgress)).last().asString().doesNotContain("egress");
  }
}
