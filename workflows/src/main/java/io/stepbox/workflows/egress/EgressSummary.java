package io.stepbox.workflows.egress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a step's sandbox did through the egress proxy, as its result carries it into history:
 * counts, bytes and the first denials. The whole log is in the blob store under {@code logRef}.
 *
 * @param allowed requests and tunnels allowed
 * @param denied requests and tunnels denied
 * @param bytesOut bytes the sandbox sent through the proxy
 * @param bytesIn bytes the sandbox received through it
 * @param withSecret allowed requests the proxy added a secret to
 * @param firstDenials the first denials, one per host and port, at most {@value #MAX_DENIALS}
 * @param logRef blob key of the full log (JSON lines of {@link EgressRecord}); null when empty
 */
public record EgressSummary(
    int allowed,
    int denied,
    long bytesOut,
    long bytesIn,
    int withSecret,
    List<EgressDenial> firstDenials,
    String logRef) {

  /** Denials a summary names at most. */
  public static final int MAX_DENIALS = 5;

  /** Nothing went through the proxy. */
  public static final EgressSummary EMPTY = new EgressSummary(0, 0, 0, 0, 0, List.of(), null);

  public EgressSummary {
    firstDenials = firstDenials == null ? List.of() : List.copyOf(firstDenials);
  }

  /** The summary of {@code records}, whose full log is at {@code logRef}. */
  public static EgressSummary of(List<EgressRecord> records, String logRef) {
    int allowed = 0;
    int denied = 0;
    int secret = 0;
    long out = 0;
    long in = 0;
    Set<String> seen = new LinkedHashSet<>();
    List<EgressDenial> first = new ArrayList<>();
    for (EgressRecord r : records) {
      out += r.bytesOut();
      in += r.bytesIn();
      if (r.denied()) {
        denied++;
        if (first.size() < MAX_DENIALS && seen.add(r.host() + ":" + r.port())) {
          first.add(new EgressDenial(r.host(), r.port(), r.reason(), r.message()));
        }
      } else {
        allowed++;
        if (r.secret() != null) {
          secret++;
        }
      }
    }
    return new EgressSummary(allowed, denied, out, in, secret, first, logRef);
  }

  /** The hosts of the first denials, each once, as an allow list would name them. */
  public List<String> deniedHosts() {
    Set<String> hosts = new LinkedHashSet<>();
    for (EgressDenial d : firstDenials) {
      boolean web = HostRule.WEB_PORTS.contains(d.port());
      hosts.add(web ? d.host() : d.host() + ":" + d.port());
    }
    return new ArrayList<>(hosts);
  }
}
