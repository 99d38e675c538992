package io.stepbox.egress;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a proxy's access log (format {@link SquidConfig#LOG_FORMAT}) into audit records. Squid
 * logs a tunnel's set-up and its end, and the error page it serves inside a denied TLS
 * connection: only the line that carries the decision becomes a record.
 */
final class AccessLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccessLog.class);
  private static final int FIELDS = 13;

  private final EgressPolicy policy;
  private final String sandboxIp;

  AccessLog(EgressPolicy policy, String sandboxIp) {
    this.policy = policy;
    this.sandboxIp = sandboxIp;
  }

  /** The records of {@code lines}; lines of other clients and unreadable lines are left out. */
  List<EgressRecord> read(List<String> lines) {
    List<EgressRecord> out = new ArrayList<>();
    for (String line : lines) {
      try {
        parse(line).ifPresent(out::add);
      } catch (RuntimeException e) {
        LOG.warn("an egress log line could not be read, left out of the audit: {}", line);
      }
    }
    return out;
  }

  Optional<EgressRecord> parse(String line) {
    String[] f = line.trim().split(" +");
    if (f.length != FIELDS || !f[1].equals(sandboxIp) || f[2].equals("-") || f[2].equals("NONE")) {
      return Optional.empty(); // another client's, torn, or a connection without a request
    }
    String host = host(f[3]);
    int port = number(f[4]);
    Optional<Verdict> verdict = verdict(f, host, port);
    if (verdict.isEmpty()) {
      return Optional.empty();
    }
    EgressPolicy.Reason reason = verdict.get().denial();
    String sni = dash(f[5]);
    String message =
        reason == null
            ? null
            : EgressPolicy.explain(reason, reason == EgressPolicy.Reason.SNI ? sni : host, port);
    return Optional.of(
        new EgressRecord(
            Math.round(Double.parseDouble(f[0]) * 1000),
            reason == null ? EgressRecord.ALLOWED : EgressRecord.DENIED,
            f[2],
            host,
            port,
            sni,
            number(f[7]),
            count(f[8]),
            count(f[9]),
            reason == null ? dash(f[12]) : null,
            reason == null ? null : reason.name(),
            message));
  }

  /** What a line decided: a denial and its reason, or (null) an allowed request. */
  private record Verdict(EgressPolicy.Reason denial) {
    static final Verdict ALLOWED = new Verdict(null);
  }

  /** Empty for a line that decides nothing: a tunnel's set-up, an error page served inside TLS. */
  private Optional<Verdict> verdict(String[] f, String host, int port) {
    boolean connect = f[2].equals("CONNECT");
    String tag = f[6];
    String error = f[11];
    if (tag.contains("DENIED")) {
      return Optional.of(new Verdict(reasonOf(error, host, port)));
    }
    if (tag.startsWith("NONE") && connect && f[10].equals("terminate")) {
      return Optional.of(new Verdict(EgressPolicy.Reason.SNI));
    }
    if (tag.startsWith("NONE") && (connect || error.startsWith("ERR_"))) {
      return Optional.empty();
    }
    return Optional.of(Verdict.ALLOWED);
  }

  private EgressPolicy.Reason reasonOf(String error, String host, int port) {
    return switch (error) {
      case "ERR_STEPBOX_IP_LITERAL" -> EgressPolicy.Reason.IP_LITERAL;
      case "ERR_STEPBOX_DENY_RULE" -> EgressPolicy.Reason.DENY_RULE;
      case "ERR_STEPBOX_PORT" -> EgressPolicy.Reason.PORT;
      case "ERR_STEPBOX_PRIVATE" -> EgressPolicy.Reason.PRIVATE_ADDRESS;
      case "ERR_STEPBOX_NOT_ALLOWED" -> EgressPolicy.Reason.NOT_ALLOWED;
      default -> policy.check(host, port).orElse(EgressPolicy.Reason.PRIVATE_ADDRESS);
    };
  }

  private static String host(String field) {
    String h = percentDecoded(field);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** Squid's URL-encoding of a field a client controls; a broken escape stays as it is. */
  static String percentDecoded(String field) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '%' && isHex(field, i + 1) && isHex(field, i + 2)) {
        out.write(Integer.parseInt(field.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  private static String dash(String field) {
    return field.equals("-") ? null : percentDecoded(field);
  }

  private static long count(String field) {
    try {
      return Long.parseLong(field);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int number(String field) {
    try {
      return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(field));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
