package io.stepbox.cli.task;

import io.stepbox.cli.StepboxConfig;
import io.stepbox.cli.VisibilityErrors;
import io.stepbox.connect.TemporalConnection;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.List;

/** Visibility queries over tasks for the command line, with Temporal's refusals explained. */
final class TaskFinder implements AutoCloseable {
  /** How many tasks a listing shows unless told otherwise. */
  static final int DEFAULT_LIMIT = 100;

  private final TemporalConnection temporal;

  private TaskFinder(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  static TaskFinder connect(StepboxConfig config) {
    return new TaskFinder(
        TemporalConnection.connect(config.temporalAddress(), config.temporalNamespace()));
  }

  /** The first {@code limit} executions matching {@code query}, newest first. */
  List<WorkflowExecutionMetadata> find(String query, int limit) {
    try {
      return temporal.client().listExecutions(query).limit(limit).toList();
    } catch (RuntimeException e) {
      throw VisibilityErrors.translate(e, "the query " + query, temporal);
    }
  }

  @Override
  public void close() {
    temporal.close();
  }
}
