package io.stepbox.cli;

import io.stepbox.workflows.Units;
import io.stepbox.workflows.egress.EgressDenial;
import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.egress.HostRule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Egress for people: a line per request of an egress log ({@code logs --egress}), a step's counts
 * and first denials ({@code status}), and the hosts an allow list would need. Secrets appear by
 * name only; the records never hold a value.
 */
public final class EgressText {
  /** ISO-8601 in UTC with milliseconds always shown, so that the lines stay aligned. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private EgressText() {}

  /**
   * One request: time, decision, method, host:port, status, bytes out and in, {@code sni=} when the
   * TLS name differs from the host, {@code secret=NAME} when the proxy added one, and for a denial
   * its reason and message.
   */
  public static String line(EgressRecord r) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s %-7s %-7s %s %d out=%d in=%d",
                TIME.format(Instant.ofEpochMilli(r.timeMillis())),
                orDash(r.decision()),
                orDash(r.method()),
                r.host() + ":" + r.port(),
                r.status(),
                r.bytesOut(),
                r.bytesIn()));
    if (r.sni() != null && !r.sni().equalsIgnoreCase(r.host())) {
      b.append(" sni=").append(r.sni());
    }
    if (r.secret() != null) {
      b.append(" secret=").append(r.secret());
    }
    if (r.denied()) {
      b.append(' ').append(r.reason() == null ? "denied" : r.reason());
      if (r.message() != null) {
        b.append(": ").append(r.message());
      }
    }
    return b.toString();
  }

  /**
   * Prints a log a line per record on {@code cli}'s stdout; for an empty one, says so on stderr.
   *
   * @param what whose log, like {@code step fetch}
   */
  public static void print(Cli cli, List<EgressRecord> log, String what) {
    if (log.isEmpty()) {
      cli.err().println(
          "stepbox: no egress records for "
              + what
              + ": it had no egress (no --allow-host, no network.allow) or made no request");
      return;
    }
    log.forEach(r -> cli.out().println(line(r)));
  }

  /** {@code 3 allowed, 1 denied, 2.0 KiB out, 1.5 MiB in}, and how many got a secret if any. */
  public static String counts(EgressSummary s) {
    return s.allowed()
        + " allowed, "
        + s.denied()
        + " denied, "
        + Units.formatBytes(s.bytesOut())
        + " out, "
        + Units.formatBytes(s.bytesIn())
        + " in"
        + (s.withSecret() > 0 ? ", " + s.withSecret() + " with a secret" : "");
  }

  /** A denial's host, port and reason: {@code evil.example.org:443 (NOT_ALLOWED)}. */
  public static String denial(EgressDenial d) {
    return d.host() + ":" + d.port() + " (" + orDash(d.reason()) + ")";
  }

  /**
   * The hosts of {@code denials} that adding to an allow list would let through, as the list
   * would name them ({@code host}, or {@code host:port} off ports 80 and 443), each once. Denials
   * that no allow rule lifts (an IP address, a deny rule, a private address) are left out.
   */
  public static List<String> allowable(List<EgressDenial> denials) {
    Set<String> hosts = new LinkedHashSet<>();
    for (EgressDenial d : denials) {
      if (liftedByAllowing(d.reason())) {
        boolean web = HostRule.WEB_PORTS.contains(d.port());
        hosts.add(web ? d.host() : d.host() + ":" + d.port());
      }
    }
    return new ArrayList<>(hosts);
  }

  private static boolean liftedByAllowing(String reason) {
    return EgressPolicy.Reason.NOT_ALLOWED.name().equals(reason)
        || EgressPolicy.Reason.PORT.name().equals(reason);
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
