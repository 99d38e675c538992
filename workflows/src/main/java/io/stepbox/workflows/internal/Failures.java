package io.stepbox.workflows.internal;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.Locale;

/** Short, human descriptions of activity failures for status output. */
public final class Failures {
  private Failures() {}

  /**
   * What went wrong in {@code e}, without Temporal's event ids: the application failure's type and
   * message, or the kind of timeout.
   */
  public static String describe(ActivityFailure e) {
    Throwable cause = e.getCause();
    if (cause instanceof ApplicationFailure a) {
      return a.getType() + ": " + a.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure t) {
      String kind = t.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase(Locale.ROOT);
      return "activity timed out (" + kind.replace('_', '-') + ")";
    }
    if (cause instanceof TemporalFailure f) {
      return f.getOriginalMessage();
    }
    return e.getMessage();
  }
}
