package io.stepbox.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stepbox.local.TemporalConnection;
import io.stepbox.local.TemporalUnreachableException;
import io.stepbox.workflows.TaskQueues;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;

/**
 * Turns what the Temporal client throws into messages for people and exit codes: not found and
 * refusals are 1, an unreachable server or a worker that does not answer is 125.
 */
final class TemporalErrors {
  private TemporalErrors() {}

  /**
   * The exception to throw instead of {@code e}, thrown by a visibility or schedule call about
   * {@code what}: servers without visibility queries or Schedules (the in-memory test server) and
   * refused arguments get a message that says so.
   */
  static RuntimeException translateVisibility(
      RuntimeException e, String what, TemporalConnection t) {
    Status.Code code = code(e);
    if (code == Status.Code.UNIMPLEMENTED) {
      return new CommandException(
          TaskExit.UNAVAILABLE,
          "Temporal at "
              + t.address()
              + " has no visibility queries or Schedules (the in-memory test server?); list,"
              + " approvals and schedule need a real server: temporal server start-dev, or a"
              + " cluster",
          e);
    }
    if (code == Status.Code.INVALID_ARGUMENT) {
      return new CommandException(TaskExit.USAGE, "Temporal refused " + what + ": " + reason(e), e);
    }
    if (code == Status.Code.UNAVAILABLE) {
      return new TemporalUnreachableException(t.address(), e);
    }
    return e;
  }

  /**
   * The exception to throw instead of {@code e}, thrown while working on {@code kind} ("task" or
   * "session") {@code id}; {@code e} itself when there is nothing to add.
   */
  static RuntimeException translate(
      RuntimeException e, String kind, String id, TemporalConnection t) {
    if (notFound(e)) {
      return new CommandException(
          TaskExit.FAILED,
          kind
              + " '"
              + id
              + "' does not exist or has ended (namespace "
              + t.namespace()
              + " at "
              + t.address()
              + ")",
          e);
    }
    if (e instanceof WorkflowExecutionAlreadyStarted) {
      return new CommandException(
          TaskExit.FAILED,
          "a " + kind + " with id '" + id + "' is already running; pick another --id",
          e);
    }
    if (e instanceof WorkflowQueryException) {
      return new CommandException(
          TaskExit.FAILED, "the " + kind + " could not answer: " + failureMessage(e), e);
    }
    if (e instanceof WorkflowUpdateException u) {
      return new CommandException(TaskExit.FAILED, "refused: " + failureMessage(u), e);
    }
    Status.Code code = code(e);
    if (code == Status.Code.UNAVAILABLE) {
      return new TemporalUnreachableException(t.address(), e);
    }
    return e;
  }

  /**
   * What to throw instead of {@code e}, thrown by a query: a query that timed out or that the
   * server refused because no worker polls means that no worker runs; the rest as {@link
   * #translate}.
   */
  static RuntimeException translateQuery(
      RuntimeException e, String kind, String id, TemporalConnection t) {
    if (!(e instanceof WorkflowQueryException) && !notFound(e) && noWorker(code(e))) {
      return new CommandException(
          TaskExit.UNAVAILABLE,
          "no worker answered about "
              + kind
              + " '"
              + id
              + "' ("
              + reason(e)
              + "): start one with `stepbox worker` (it polls task queue "
              + TaskQueues.SHARED
              + ")",
          e);
    }
    return translate(e, kind, id, t);
  }

  /** Whether {@code e} is a refusal the server may lift soon (busy workflow, slow answer). */
  static boolean transientBusy(Throwable e) {
    Status.Code code = code(e);
    return code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** A query nobody answered: timed out, or refused because no worker polls the queue. */
  private static boolean noWorker(Status.Code code) {
    return code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.FAILED_PRECONDITION;
  }

  /** Whether {@code e} says that the workflow does not exist, or no longer runs. */
  static boolean notFound(Throwable e) {
    return e instanceof WorkflowNotFoundException || code(e) == Status.Code.NOT_FOUND;
  }

  /** The message of the application failure behind {@code e}, or the first message found. */
  static String failureMessage(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) {
        return a.getOriginalMessage();
      }
    }
    return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
  }

  /** The type of the application failure behind {@code e}, or null. */
  static String failureType(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) {
        return a.getType();
      }
    }
    return null;
  }

  private static String reason(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        if (s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          return "none within " + TemporalConnection.QUERY_TIMEOUT.toSeconds() + " s";
        }
        return s.getStatus().getDescription() == null
            ? s.getStatus().getCode().name()
            : s.getStatus().getDescription();
      }
    }
    return e.getMessage();
  }

  private static Status.Code code(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        return s.getStatus().getCode();
      }
    }
    return null;
  }
}
