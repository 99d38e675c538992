package io.stepbox.sandbox;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.sandbox.SandboxException.Reason;
import java.util.Locale;

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
    String lower = msg.toLowerCase(Locale.ROOT);
    if (!(e instanceof DockerException) && !causedByIo(e)) {
      return new SandboxException(Reason.ENGINE, action + ": " + msg, e);
    }
    if (!(e instanceof DockerException)) {
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
    if (unknownRuntime(e)) {
      return new SandboxException(Reason.RUNTIME, action + ": " + msg, e);
    }
    if (lower.contains("root network namespace")) {
      return new SandboxException(
          Reason.RUNTIME,
          action
              + ": runsc cannot start its network on "
              + "this kernel ("
              + msg
              + "); run ./stepbox setup, which installs the runsc wrapper "
              + "that fixes it",
          e);
    }
    if (lower.contains("storage-opt") || lower.contains("storage opt")) {
      return new SandboxException(
          Reason.INVALID_SPEC,
          action
              + ": disk: this Docker storage "
              + "driver cannot limit disk size ("
              + msg
              + "); leave the disk limit unset, or run "
              + "dockerd on overlay2 over xfs mounted with pquota",
          e);
    }
    if (e instanceof NotFoundException) {
      return new SandboxException(Reason.NOT_FOUND, action + ": " + msg, e);
    }
    int status = ((DockerException) e).getHttpStatus();
    if (status == 400) {
      return new SandboxException(Reason.INVALID_SPEC, action + ": dockerd refused: " + msg, e);
    }
    return new SandboxException(Reason.ENGINE, action + ": dockerd failed: " + msg, e);
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
