package io.stepbox.sandbox;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.sandbox.SandboxException.Reason;
import java.util.Locale;
import java.util.Optional;

/** Turns docker-java failures into {@link SandboxException}s that say what to do. */
final class DockerErrors {
  private final String dockerHost;

  DockerErrors(String dockerHost) {
    this.dockerHost = dockerHost;
  }

  /** Translates a failure of {@code action} (for example "create sandbox") into our exception. */
  SandboxException translate(String action, RuntimeException e) {
    if (e instanceof SandboxException s) {
      return s;
    }
    String msg = message(e);
    if (!(e instanceof DockerException d)) {
      return notFromDockerd(action, msg, e);
    }
    return known(action, msg, d)
        .orElseGet(
            () ->
                d.getHttpStatus() == 400
                    ? new SandboxException(
                        Reason.INVALID_SPEC, action + ": dockerd refused: " + msg, e)
                    : new SandboxException(Reason.ENGINE, action + ": dockerd failed: " + msg, e));
  }

  /** A failure before dockerd answered: unreachable when it came from I/O. */
  private SandboxException notFromDockerd(String action, String msg, RuntimeException e) {
    if (!causedByIo(e)) {
      return new SandboxException(Reason.ENGINE, action + ": " + msg, e);
    }
    return new SandboxException(
        Reason.ENGINE,
        action
            + ": cannot reach dockerd at "
            + dockerHost
            + " ("
            + msg
            + "); start it with "
            + "./stepbox setup or point DOCKER_HOST at a running engine",
        e);
  }

  /** dockerd's answers that say what to do; empty for the others. */
  private static Optional<SandboxException> known(String action, String msg, DockerException e) {
    String lower = msg.toLowerCase(Locale.ROOT);
    Reason reason;
    String text;
    if (unknownRuntime(e)) {
      reason = Reason.RUNTIME;
      text = msg;
    } else if (lower.contains("root network namespace")) {
      // An old runsc (Debian's 20221219) on a current kernel; setup builds the pinned one.
      reason = Reason.RUNTIME;
      text =
          "runsc cannot start its network on this kernel ("
              + msg
              + "); dockerd's runsc is older than the gVisor release stepbox pins: run"
              + " ./stepbox setup, which builds that release (runsc/go.mod) and registers it"
              + " with dockerd";
    } else if (lower.contains("storage-opt") || lower.contains("storage opt")) {
      reason = Reason.INVALID_SPEC;
      text =
          "disk: this Docker storage driver cannot limit disk size ("
              + msg
              + "); leave the disk limit unset, or run dockerd on overlay2 over xfs mounted with"
              + " pquota";
    } else if (e instanceof NotFoundException) {
      reason = Reason.NOT_FOUND;
      text = msg;
    } else {
      return Optional.empty();
    }
    return Optional.of(new SandboxException(reason, action + ": " + text, e));
  }

  /** Whether dockerd refused {@code e} because it does not know the runtime asked for. */
  static boolean unknownRuntime(RuntimeException e) {
    String lower = message(e).toLowerCase(Locale.ROOT);
    return e instanceof DockerException
        && (lower.contains("unknown or invalid runtime") || lower.contains("unknown runtime"));
  }

  /** Whether dockerd says that a path or container of {@code e} does not exist ("No such ..."). */
  static boolean noSuch(RuntimeException e) {
    return e instanceof DockerException && message(e).contains("No such");
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().trim();
    // docker-java wraps daemon errors as {"message":"..."}; keep only the text.
    int i = m.indexOf("\"message\":\"");
    if (i >= 0) {
      int start = i + 11;
      int end = m.indexOf('"', start);
      m = end > start ? m.substring(start, end) : m.substring(start);
    }
    return m;
  }
}
