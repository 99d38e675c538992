package io.stepbox.workflows.egress;

/**
 * One connection or request through the egress proxy: a line of a step's egress log (stored next
 * to its output as JSON lines). Never holds a secret's value, only its name.
 *
 * @param timeMillis when the proxy logged it (epoch milliseconds)
 * @param decision {@value #ALLOWED} or {@value #DENIED}
 * @param method {@code CONNECT} for a tunnel, else the HTTP method
 * @param host the host asked for
 * @param port the port asked for
 * @param sni the TLS server name the sandbox sent, or null
 * @param status the HTTP status the proxy answered (200 for an established tunnel)
 * @param bytesOut bytes from the sandbox
 * @param bytesIn bytes to the sandbox
 * @param secret the name of the secret the proxy added, or null
 * @param reason a {@link EgressPolicy.Reason} name when denied, else null
 * @param message what was wrong and how to allow it, when denied
 */
public record EgressRecord(
    long timeMillis,
    String decision,
    String method,
    String host,
    int port,
    String sni,
    int status,
    long bytesOut,
    long bytesIn,
    String secret,
    String reason,
    String message) {

  public static final String ALLOWED = "allowed";
  public static final String DENIED = "denied";

  /** Whether the proxy denied it. */
  public boolean denied() {
    return DENIED.equals(decision);
  }
}
