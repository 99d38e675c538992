package io.stepbox.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepbox.metrics.PendingApprovals;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.sandbox.SandboxPool;
import io.stepbox.sandbox.SandboxReaper;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.activities.StepActivitiesImpl;
import io.stepbox.activities.WarmPool;
import io.stepbox.store.BlobStore;
import io.stepbox.workflows.TaskQueues;
import io.stepbox.workflows.session.SessionWorkflowImpl;
import io.stepbox.workflows.task.AgentTaskWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stepbox worker: polls the shared task queue for workflows and steps, and its own queue for
 * steps that can reuse a sandbox it kept warm. At start it reaps what an earlier run of the same
 * worker id left behind; while it runs it removes warm sandboxes idle for more than a minute.
 */
public final class StepboxWorker implements AutoCloseable {
  /** Warm sandboxes idle longer than this are removed. */
  public static final Duration WARM_IDLE = Duration.ofMinutes(1);

  private final WorkerFactory factory;
  private final SnapshotEngine snapshots;
  private final WarmPool warm;
  private final SandboxPool pool;
  private final SandboxReaper reaper;
  private final ScheduledExecutorService expiry;
  private final String ownQueue;
  private final PendingApprovals approvals;

  /**
   * Starts polling. {@code env} is where secrets' values come from, and the pool of started
   * sandboxes' sizes ({@link SandboxPool.Settings#fromEnvironment}).
   *
   * @param maxConcurrentSteps steps (sandboxes) this worker runs at once
   * @param registry where the step, snapshot and pending-approval meters go: the registry the
   *     runtime records its sandbox meters in
   */
  public StepboxWorker(
      WorkflowClient client,
      DockerSandboxRuntime runtime,
      BlobStore blobs,
      Map<String, String> env,
      int maxConcurrentSteps,
      MeterRegistry registry) {
    this.ownQueue = "stepbox-" + runtime.workerId() + "-" + runtime.workerRun();
    this.reaper = SandboxReaper.start(runtime, Duration.ofMinutes(1));
    this.snapshots =
        new SnapshotEngine(runtime, blobs, new ObjectMapper(), Clock.systemUTC(), registry);
    this.warm = new WarmPool(runtime, Clock.systemUTC(), WARM_IDLE, snapshots::forget);
    this.pool = new SandboxPool(runtime, SandboxPool.Settings.fromEnvironment(env), registry);
    var activities =
        new StepActivitiesImpl(
            runtime,
            snapshots,
            blobs,
            warm,
            pool,
            ownQueue,
            env,
            maxConcurrentSteps,
            runtime.workerId(),
            registry);
    this.factory = workers(client, ownQueue, activities, maxConcurrentSteps);
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stepbox-warm-expiry");
              t.setDaemon(true);
              return t;
            });
    expiry.scheduleAtFixedRate(this::expireQuietly, 15, 15, TimeUnit.SECONDS);
    this.approvals =
        PendingApprovals.register(
            registry, () -> client.countWorkflows(PendingApprovals.QUERY).getCount());
    factory.start();
  }

  /**
   * The workflows and the steps on the shared queue, and the steps again on this worker's own
   * queue (steps that reuse its warm sandboxes); not started yet.
   */
  private static WorkerFactory workers(
      WorkflowClient client, String ownQueue, StepActivitiesImpl activities, int maxSteps) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    WorkerOptions options =
        WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(maxSteps).build();
    Worker shared = factory.newWorker(TaskQueues.SHARED, options);
    shared.registerWorkflowImplementationTypes(
        AgentTaskWorkflowImpl.class, SessionWorkflowImpl.class);
    shared.registerActivitiesImplementations(activities);
    factory.newWorker(ownQueue, options).registerActivitiesImplementations(activities);
    return factory;
  }

  /** A failed pass must not end the schedule (a throwing task is never run again). */
  private void expireQuietly() {
    try {
      warm.expire();
      pool.expire();
    } catch (RuntimeException e) {
      // The next pass tries again.
    }
  }

  /** This worker's own task queue (steps that reuse its warm sandboxes). */
  public String ownQueue() {
    return ownQueue;
  }

  /** The sandboxes this worker starts ahead of time for steps from an image. */
  public SandboxPool pool() {
    return pool;
  }

  /** Sandboxes kept warm right now. */
  public int warmSandboxes() {
    return warm.size();
  }

  /** Stops polling, lets running steps finish (up to a minute), removes warm sandboxes. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(1, TimeUnit.MINUTES);
    expiry.shutdownNow();
    approvals.close();
    warm.close();
    pool.close();
    snapshots.close();
    reaper.close();
  }
}
