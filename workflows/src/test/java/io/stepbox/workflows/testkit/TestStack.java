package io.stepbox.workflows.testkit;

import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.SessionWorkflow;
import io.stepbox.workflows.session.SessionWorkflowImpl;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.AgentTaskWorkflowImpl;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * An in-memory Temporal test server with time skipping and the task search attributes, one worker
 * on the shared queue serving both workflows and fake activities, and fake workers on the given
 * worker-specific queues.
 */
public final class TestStack implements AutoCloseable {
  public final TestWorkflowEnvironment env;
  public final WorkflowClient client;
  public final FakeWorld world;

  private TestStack(FakeWorld world, String... warmQueues) {
    this.world = world;
    this.env = TestWorkflowEnvironment.newInstance();
    TaskSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    this.client = env.getWorkflowClient();
    Worker shared = env.newWorker(TaskQueues.SHARED);
    shared.registerWorkflowImplementationTypes(
        AgentTaskWorkflowImpl.class, SessionWorkflowImpl.class);
    shared.registerActivitiesImplementations(new FakeStepActivities(TaskQueues.SHARED, world));
    for (String q : warmQueues) {
      env.newWorker(q).registerActivitiesImplementations(new FakeStepActivities(q, world));
    }
    env.start();
  }

  /** A started stack recording into {@code world}, with workers on {@code warmQueues}. */
  public static TestStack start(FakeWorld world, String... warmQueues) {
    return new TestStack(world, warmQueues);
  }

  /** A stub for a new task workflow with id {@code id}. */
  public AgentTaskWorkflow task(String id) {
    return client.newWorkflowStub(AgentTaskWorkflow.class, options(id));
  }

  /** A stub for a new session workflow with id {@code id}. */
  public SessionWorkflow session(String id) {
    return client.newWorkflowStub(SessionWorkflow.class, options(id));
  }

  /** A stub for the latest run of the session {@code id}. */
  public SessionWorkflow existingSession(String id) {
    return client.newWorkflowStub(SessionWorkflow.class, id);
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.SHARED).build();
  }

  @Override
  public void close() {
    env.close();
  }
}
