package io.stepbox.egress;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressRecord;
import java.net.URLDecoder;
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
      parse(line).ifPresent(out::add);
    }
    return out;
  }

  Optional<EgressRecord> parse(String line) {
    String[] f = line.trim().split(" +");
    if (f.length != FIELDS || !f[1].equals(sandboxIp)) {
      return Optional.empty();
    }
    String method = f[2];
    if (method.equals("-") || method.equals("NONE")) {
      return Optional.empty(); // a connection that ended before any request
    }
    String host = host(f[3]);
    int port = number(f[4]);
    String sni = dash(f[5]);
    String tag = f[6];
    String bump = f[10];
    String error = f[11];
    boolean connect = method.equals("CONNECT");
    EgressPolicy.Reason reason = null;
    if (tag.contains("DENIED")) {
      reason = reasonOf(error, host, port);
    } else if (tag.startsWith("NONE") && connect && bump.equals("terminate")) {
      reason = EgressPolicy.Reason.SNI;
    } else if (tag.startsWith("NONE") && (connect || error.startsWith("ERR_"))) {
      return Optional.empty(); // a tunnel's set-up, or an error page served inside TLS
    }
    long time = Math.round(Double.parseDouble(f[0]) * 1000);
    String secret = reason == null ? dash(f[12]) : null;
    String message =
        reason == null
            ? null
            : EgressPolicy.explain(reason, reason == EgressPolicy.Reason.SNI ? sni : host, port);
    return Optional.of(
        new EgressRecord(
            time,
            reason == null ? EgressRecord.ALLOWED : EgressRecord.DENIED,
            method,
            host,
            port,
            sni,
            number(f[7]),
            count(f[8]),
            count(f[9]),
            secret,
            reason == null ? null : reason.name(),
            message));
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
    String h = URLDecoder.decode(field, StandardCharsets.UTF_8);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static String dash(String field) {
    return field.equals("-") ? null : field;
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
