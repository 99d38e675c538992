package io.stepbox.cli;

import io.grpc.Status;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.connect.TemporalUnreachableException;

/** What a failed visibility query or schedule call tells the user. */
public final class VisibilityErrors {
  private VisibilityErrors() {}

  /**
   * The exception to throw instead of {@code e}, thrown by a visibility or schedule call about
   * {@code what}: servers without visibility queries or Schedules (the in-memory test server) and
   * refused arguments get a message that says so.
   */
  public static RuntimeException translate(RuntimeException e, String what, TemporalConnection t) {
    Status status = Status.fromThrowable(e);
    return switch (status.getCode()) {
      case UNIMPLEMENTED ->
          new CommandException(
              TaskExit.UNAVAILABLE,
              "Temporal at "
                  + t.address()
                  + " has no visibility queries or Schedules (the in-memory test server?); list,"
                  + " approvals and schedule need a real server: temporal server start-dev, or a"
                  + " cluster",
              e);
      case INVALID_ARGUMENT ->
          new CommandException(
              TaskExit.USAGE,
              "Temporal refused "
                  + what
                  + ": "
                  + (status.getDescription() == null ? e.getMessage() : status.getDescription()),
              e);
      case UNAVAILABLE -> new TemporalUnreachableException(t.address(), e);
      default ->
          new CommandException(
              TaskExit.FAILED,
              "Temporal at "
                  + t.address()
                  + " failed "
                  + what
                  + ": "
                  + (status.getDescription() == null ? e.getMessage() : status.getDescription()),
              e);
    };
  }
}
