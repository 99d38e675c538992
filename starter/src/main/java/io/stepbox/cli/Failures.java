package io.stepbox.cli;

import io.stepbox.client.ExecFailedException;
import io.stepbox.client.InvalidTaskSpecException;
import io.stepbox.client.StepboxClientException;
import io.stepbox.client.UnavailableException;
import io.stepbox.connect.TemporalConnectException;
import io.stepbox.metrics.MetricsException;
import io.stepbox.sandbox.SandboxException;
import io.stepbox.snapshot.SnapshotException;
import io.stepbox.store.BlobStoreException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become exit codes, by exception type: {@code stepbox: MESSAGE} on
 * stderr and the code. An exception of no known type is a bug: picocli prints its stack trace, and
 * the exit code is 1.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  private final PrintStream err;

  Failures(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine line, ParseResult parsed)
      throws Exception {
    OptionalInt code = exitCode(e);
    if (code.isEmpty()) {
      throw e;
    }
    err.println("stepbox: " + e.getMessage());
    return code.getAsInt();
  }

  /** The exit code that reports {@code e}, or empty when stepbox does not know the failure. */
  static OptionalInt exitCode(Throwable e) {
    if (e instanceof UsageException) {
      return OptionalInt.of(TaskExit.USAGE);
    }
    if (e instanceof CommandException c) {
      return OptionalInt.of(c.exitCode());
    }
    if (e instanceof StepboxClientException c) {
      return OptionalInt.of(clientExit(c));
    }
    if (e instanceof TemporalConnectException || e instanceof MetricsException) {
      return OptionalInt.of(TaskExit.UNAVAILABLE);
    }
    if (e instanceof SandboxException s) {
      return OptionalInt.of(
          s.reason() == SandboxException.Reason.NOT_FOUND ? TaskExit.FAILED : TaskExit.UNAVAILABLE);
    }
    if (e instanceof BlobStoreException b) {
      return OptionalInt.of(b.retryable() ? TaskExit.UNAVAILABLE : TaskExit.FAILED);
    }
    if (e instanceof SnapshotException || e instanceof UncheckedIOException) {
      return OptionalInt.of(TaskExit.FAILED);
    }
    return OptionalInt.empty();
  }

  /** The exit code that reports a failure of the client. */
  static int clientExit(StepboxClientException e) {
    if (e instanceof InvalidTaskSpecException) {
      return TaskExit.USAGE;
    }
    if (e instanceof UnavailableException || e instanceof ExecFailedException) {
      return TaskExit.UNAVAILABLE;
    }
    return TaskExit.FAILED;
  }
}
