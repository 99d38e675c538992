package io.stepbox.sandbox;

/**
 * The one unchecked failure of the sandbox layer. {@link #reason()} says what kind of failure it
 * is; {@link #retryable()} says whether running the same request again can succeed (an engine
 * fault) or cannot (a bad request). The message always names what was wrong and what to do.
 */
public class SandboxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, also the {@code reason} tag of the failure metric. */
  public enum Reason {
    /** The spec or request has a bad field; the message names it. Not retryable. */
    INVALID_SPEC(false),
    /** The image is not in the local engine (stepbox never pulls). Not retryable. */
    IMAGE_NOT_FOUND(false),
    /** The runtime is unknown, not registered, or unsafe without opt-in. Not retryable. */
    RUNTIME(false),
    /** The sandbox does not exist (any more). Not retryable. */
    NOT_FOUND(false),
    /** The sandbox died under the caller, for example the engine killed it. Not retryable. */
    GONE(false),
    /** dockerd is unreachable or failed. Retryable. */
    ENGINE(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }
  }

  private final Reason reason;

  public SandboxException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SandboxException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when the same call may succeed later (engine faults), false for bad requests. */
  public boolean retryable() {
    return reason.retryable;
  }

  static SandboxException invalid(String message) {
    return new SandboxException(Reason.INVALID_SPEC, message);
  }
}
