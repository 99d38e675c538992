package io.stepbox.client;

import io.stepbox.connect.TemporalConnectException;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.SessionWorkflow;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.TaskInput;
import io.stepbox.workflows.task.TaskMemo;
import io.stepbox.workflows.task.TaskSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;

/**
 * The Java client of stepbox: starts durable tasks and opens sessions on a Temporal namespace where
 * stepbox workers run ({@code stepbox worker}, task queue {@value TaskQueues#SHARED}).
 *
 * <pre>{@code
 * try (StepboxClient client = StepboxClient.connect()) {   // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE
 *   SessionHandle session = client.openSession("stepbox/base:busybox");
 *   ExecResult r = session.exec("echo hello > /workspace/f && cat /workspace/f");
 *   TaskHandle task = client.startTask(Path.of("task.yaml"));
 *   TaskStatus end = task.awaitResult(Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * <p>Thread-safe; one client per process is enough. Handles are cheap and can be made again from an
 * id ({@link #task}, {@link #session}) in another process: the state lives in Temporal. Every
 * failure is a {@link StepboxClientException}.
 */
public final class StepboxClient implements AutoCloseable {
  private final ClientContext context;
  private final TemporalConnection connection;

  private StepboxClient(ClientContext context, TemporalConnection connection) {
    this.context = context;
    this.connection = connection;
  }

  /** Connects with the defaults of {@link StepboxClientOptions#newBuilder()} (the environment). */
  public static StepboxClient connect() {
    return connect(StepboxClientOptions.newBuilder().build());
  }

  /**
   * Connects to {@code options}' Temporal frontend and checks that it serves the namespace, waiting
   * at most the connect timeout.
   *
   * @throws UnavailableException nothing answers there, or the namespace does not exist
   */
  public static StepboxClient connect(StepboxClientOptions options) {
    TemporalConnection c;
    try {
      c =
          TemporalConnection.connect(
              options.address(), options.namespace(), options.connectTimeout());
    } catch (TemporalConnectException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
    return new StepboxClient(
        new ClientContext(c.client(), c.address(), c.namespace(), outputs(options)), c);
  }

  /**
   * A client on an existing {@link WorkflowClient}, for code that has one; its namespace is used.
   * Closing this client leaves {@code client} open. Outputs come from {@code options}' blob store.
   */
  public static StepboxClient newInstance(WorkflowClient client, StepboxClientOptions options) {
    String address = client.getWorkflowServiceStubs().getOptions().getTarget();
    String namespace = client.getOptions().getNamespace();
    return new StepboxClient(new ClientContext(client, address, namespace, outputs(options)), null);
  }

  /** {@link #newInstance(WorkflowClient, StepboxClientOptions)} with the environment's options. */
  public static StepboxClient newInstance(WorkflowClient client) {
    return newInstance(client, StepboxClientOptions.newBuilder().build());
  }

  private static Outputs outputs(StepboxClientOptions options) {
    return new Outputs(options.blobUrl().orElse(null), options.blobStore().orElse(null));
  }

  /** {@link #startTask(TaskSpec, String)} with the id {@code <name>-<6 random>}. */
  public TaskHandle startTask(TaskSpec spec) {
    return startTask(spec, null);
  }

  /**
   * Validates {@code spec} and starts it as task {@code id} (null: {@code <name>-<6 random>}); a
   * worker runs it. Returns at once.
   *
   * @throws InvalidTaskSpecException with every error; nothing started
   * @throws AlreadyStartedException a task or session with this id is running
   */
  public TaskHandle startTask(TaskSpec spec, String id) {
    TaskSpec valid = TaskSpecs.check(spec);
    String taskId = id == null ? Ids.newId(valid.name()) : id;
    AgentTaskWorkflow task =
        context.client().newWorkflowStub(AgentTaskWorkflow.class, taskOptions(taskId, spec));
    TemporalErrors.call(
        "task", taskId, context, () -> WorkflowClient.start(task::run, TaskInput.of(valid)));
    return new TaskHandle(context, taskId);
  }

  /**
   * {@link #startTask(TaskSpec, String)} with the spec in {@code file} ({@link TaskSpecs#read}).
   */
  public TaskHandle startTask(Path file, String id) {
    return startTask(TaskSpecs.read(file), id);
  }

  /** {@link #startTask(Path, String)} with the id {@code <name>-<6 random>}. */
  public TaskHandle startTask(Path file) {
    return startTask(file, null);
  }

  /** A handle on task {@code id}, started here or anywhere else. Asks nothing yet. */
  public TaskHandle task(String id) {
    return new TaskHandle(context, id);
  }

  /** A session on {@code image} from the bare image, with default settings. */
  public SessionHandle openSession(String image) {
    return openSession(SessionOptions.newBuilder(image).build());
  }

  /** A session on {@code image} starting from {@code baseSnapshotId} (null: the bare image). */
  public SessionHandle openSession(String image, String baseSnapshotId) {
    return openSession(SessionOptions.newBuilder(image).setBaseSnapshotId(baseSnapshotId).build());
  }

  /**
   * Starts a session; a worker runs its execs. Returns at once: the sandbox is made by the first
   * exec.
   *
   * @throws AlreadyStartedException a task or session with the chosen id is running
   */
  public SessionHandle openSession(SessionOptions options) {
    String id = options.id().orElseGet(() -> Ids.newId("session"));
    SessionWorkflow session = context.client().newWorkflowStub(SessionWorkflow.class, options(id));
    TemporalErrors.call(
        "session", id, context, () -> WorkflowClient.start(session::run, options.input()));
    return new SessionHandle(context, id);
  }

  /** A handle on session {@code id}, opened here or anywhere else. Asks nothing yet. */
  public SessionHandle session(String id) {
    return new SessionHandle(context, id);
  }

  /** The Temporal frontend this client talks to. */
  public String address() {
    return context.address();
  }

  /** The Temporal namespace. */
  public String namespace() {
    return context.namespace();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(id).build();
  }

  /**
   * How a task of {@code spec} starts as workflow {@code id}: on the shared queue, findable at once
   * by its name and status (search attributes) and with its memo. For starting tasks by other means
   * than {@link #start}, such as a Temporal schedule's action.
   */
  public static WorkflowOptions taskOptions(String id, TaskSpec spec) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.SHARED)
        .setWorkflowId(id)
        .setTypedSearchAttributes(TaskSearchAttributes.atStart(spec.name()))
        .setMemo(TaskMemo.of(spec))
        .build();
  }

  /**
   * Closes the connection (when this client made it) and the blob store it opened. Calls in flight
   * fail; tasks and sessions go on.
   */
  @Override
  public void close() {
    context.outputs().close();
    if (connection != null) {
      connection.close();
    }
  }
}
