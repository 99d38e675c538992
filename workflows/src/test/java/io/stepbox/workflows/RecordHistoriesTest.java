package io.stepbox.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.workflows.testkit.HistoryRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the histories {@link ReplayTest} replays. Runs only when asked:
 *
 * <pre>
 * ./mvnw -pl workflows test -Dtest=RecordHistoriesTest -Dstepbox.recordHistories=true
 * </pre>
 *
 * Regenerate only for an intended change that running workflows can survive (or after versioning it
 * with {@code Workflow.getVersion}); commit the new JSON files with that change. Add {@code
 * #recordEgressTaskHistory} to the test name to record one history only.
 */
@EnabledIfSystemProperty(named = "stepbox.recordHistories", matches = "true")
class RecordHistoriesTest {

  @Test
  void recordTaskAndSessionHistories() throws Exception {
    String task = HistoryRecorder.recordTask();
    String session = HistoryRecorder.recordSession();
    assertThat(task)
        .contains("ACTIVITY_TASK_SCHEDULED")
        .contains("WORKFLOW_EXECUTION_UPDATE_ACCEPTED")
        .contains("UPSERT_WORKFLOW_SEARCH_ATTRIBUTES");
    assertThat(session).contains("START_CHILD_WORKFLOW_EXECUTION_INITIATED");
    HistoryRecorder.write(HistoryRecorder.TASK, task);
    HistoryRecorder.write(HistoryRecorder.SESSION, session);
  }

  @Test
  void recordEgressTaskHistory() throws Exception {
    String task = HistoryRecorder.recordEgressTask();
    assertThat(task).contains("WORKFLOW_EXECUTION_UPDATE_ACCEPTED").contains("WORKFLOW_PROPERTIES_MODIFIED");
    HistoryRecorder.write(HistoryRecorder.EGRESS_TASK, task);
  }
}
