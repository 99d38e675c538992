package io.stepbox.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.connect.TemporalUnreachableException;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.SessionWorkflow;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Turns what the Temporal client throws into the client's own exceptions, with messages for people:
 * not found, already started, refused, exec failed, unreachable, no worker.
 */
final class TemporalErrors {
  private TemporalErrors() {}

  /**
   * The exception to throw instead of {@code e}, thrown while working on {@code kind} ("task" or
   * "session") {@code id}: one of the client's, so that no Temporal exception leaves the client.
   */
  static StepboxClientException translate(
      RuntimeException e, String kind, String id, ClientContext t) {
    if (e instanceof StepboxClientException s) {
      return s;
    }
    if (notFound(e)) {
      return new NotFoundException(
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
      return new AlreadyStartedException(kind, id, e);
    }
    if (e instanceof WorkflowQueryException) {
      return new StepboxClientException(
          "the " + kind + " could not answer: " + failureMessage(e), e);
    }
    if (e instanceof WorkflowUpdateException u) {
      if (SessionWorkflow.EXEC_FAILED.equals(failureType(u))) {
        return new ExecFailedException(failureMessage(u), e);
      }
      return new RefusedException("refused: " + failureMessage(u), failureMessage(u), e);
    }
    Status.Code code = code(e);
    if (code == Status.Code.UNAVAILABLE) {
      return unreachable(t.address(), e);
    }
    return new StepboxClientException(
        "Temporal at " + t.address() + " failed a call about " + kind + " '" + id + "': " + e, e);
  }

  /**
   * What to throw instead of {@code e}, thrown by a query: a query that timed out or that the
   * server refused because no worker polls means that no worker runs; the rest as {@link
   * #translate}.
   */
  static StepboxClientException translateQuery(
      RuntimeException e, String kind, String id, ClientContext t) {
    if (!(e instanceof WorkflowQueryException) && !notFound(e) && noWorker(code(e))) {
      return new NoWorkerException(
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

  /** Runs {@code action}, a call about {@code kind} {@code id}, translating what it throws. */
  static <T> T call(String kind, String id, ClientContext t, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw translate(e, kind, id, t);
    }
  }

  /** The client's failure for a server that does not answer at {@code address}. */
  static UnavailableException unreachable(String address, Throwable e) {
    return new UnavailableException(new TemporalUnreachableException(address, e).getMessage(), e);
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
