package io.stepbox.workflows.testkit;

import static io.stepbox.workflows.testkit.TestSpecs.gated;
import static io.stepbox.workflows.testkit.TestSpecs.step;

import io.stepbox.workflows.session.ExecCommand;
import io.stepbox.workflows.session.SessionInput;
import io.stepbox.workflows.session.SessionWorkflow;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.Decision;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs the representative workflows whose histories the replay tests replay, and returns those
 * histories as JSON. {@code RecordHistoriesTest} writes them to {@code
 * src/test/resources/histories/}; regenerate them only for an intended, compatible change.
 */
public final class HistoryRecorder {
  /** The task: a clone, a test that passes with its second approach, a gated publish, exports. */
  public static final String TASK = "agent-task.json";

  /**
   * The same task recorded before it set search attributes and a memo (kept, not regenerated: it
   * stands for the tasks that were running when that change was deployed).
   */
  public static final String TASK_BEFORE_SEARCH_ATTRIBUTES =
      "agent-task-before-search-attributes.json";

  /**
   * A task on an egress network with {@code onDenied: approve}: a step denied a host, the question,
   * the approval, the rerun.
   */
  public static final String EGRESS_TASK = "agent-task-egress.json";

  /** The workflow id of the recorded egress task. */
  public static final String EGRESS_TASK_ID = "egress-1";

  /** The session: three execs, a fork, a failing exec, close. */
  public static final String SESSION = "session.json";

  /** The workflow id of the recorded task. */
  public static final String TASK_ID = "fix-calc-1";

  /** The workflow id of the recorded session. */
  public static final String SESSION_ID = "session-1";

  private HistoryRecorder() {}

  /** Records the task history. */
  public static String recordTask() {
    try (TestStack stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a")) {
      AgentTaskWorkflow wf = stack.task(TASK_ID);
      WorkflowClient.start(
          wf::run,
          TaskInput.of(
              TestSpecs.task(
                  step("clone", "git clone /src/repo.git /workspace/repo"),
                  step("test", "pytest; exit 1", "apply-fix=git apply fix.patch && pytest"),
                  gated("publish", "git format-patch -1 -o /workspace/out", "24h", "reject"))));
      stack.env.sleep(Duration.ofMinutes(1));
      wf.decide(Decision.approve("publish", "alice", "patch reviewed"));
      WorkflowStub.fromTyped(wf).getResult(TaskStatus.class);
      return stack.client.fetchHistory(TASK_ID).toJson(true);
    }
  }

  /** Records the egress task history. */
  public static String recordEgressTask() {
    try (TestStack stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a")) {
      AgentTaskWorkflow wf = stack.task(EGRESS_TASK_ID);
      NetworkSpec network = TestSpecs.allowing("approve", "github.com");
      WorkflowClient.start(
          wf::run,
          TaskInput.of(
              TestSpecs.task(
                  network,
                  List.of(SecretSpec.egress("GITHUB_TOKEN", List.of("github.com"), null, null)),
                  step("clone", "fetch github.com"),
                  step("install", "fetch pypi.org", "mirror=fetch files.example.org"),
                  step("test", "pytest"))));
      stack.env.sleep(Duration.ofMinutes(1));
      wf.decide(Decision.approve("install", "alice", "the package index"));
      WorkflowStub.fromTyped(wf).getResult(TaskStatus.class);
      return stack.client.fetchHistory(EGRESS_TASK_ID).toJson(true);
    }
  }

  /** Records the session history. */
  public static String recordSession() {
    try (TestStack stack = TestStack.start(new FakeWorld().warmOn("worker-a"), "worker-a")) {
      SessionWorkflow s = stack.session(SESSION_ID);
      WorkflowClient.start(s::run, SessionInput.of("stepbox/python:bookworm", null));
      s.exec(ExecCommand.of("git clone /src/repo.git /workspace/repo"));
      s.exec(ExecCommand.of("pip install -e /workspace/repo"));
      s.fork();
      s.exec(ExecCommand.of("pytest; exit 1"));
      s.close();
      WorkflowStub.fromTyped(s).getResult(Object.class);
      return stack.client.fetchHistory(SESSION_ID).toJson(true);
    }
  }

  /** Writes {@code json} as the history resource {@code name}. */
  public static void write(String name, String json) throws IOException {
    Path dir = Path.of("src/test/resources/histories");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), json + "\n");
  }
}
