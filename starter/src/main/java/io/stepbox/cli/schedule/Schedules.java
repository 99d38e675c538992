package io.stepbox.cli.schedule;

import io.grpc.Status;
import io.stepbox.cli.CommandException;
import io.stepbox.cli.StepboxConfig;
import io.stepbox.cli.TaskExit;
import io.stepbox.cli.VisibilityErrors;
import io.stepbox.client.StepboxClient;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.AgentTaskWorkflow;
import io.stepbox.workflows.task.TaskInput;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleState;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Task schedules on Temporal Schedules for the command line: each run is an AgentTaskWorkflow on
 * the shared queue, with the spec given at create time; errors translated.
 */
final class Schedules implements AutoCloseable {
  private final TemporalConnection temporal;
  private final ScheduleClient client;

  private Schedules(TemporalConnection temporal) {
    this.temporal = temporal;
    this.client =
        ScheduleClient.newInstance(
            temporal.stubs(),
            ScheduleClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
  }

  static Schedules connect(StepboxConfig config) {
    return new Schedules(
        TemporalConnection.connect(config.temporalAddress(), config.temporalNamespace()));
  }

  /** Creates schedule {@code r} running {@code spec}; fails when the name is taken. */
  void create(ScheduleRequest r, TaskSpec spec) {
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(AgentTaskWorkflow.class)
                    .setArguments(TaskInput.of(spec))
                    .setOptions(StepboxClient.taskOptions(r.workflowIdPrefix(), spec))
                    .build())
            .setSpec(r.spec())
            .setPolicy(SchedulePolicy.newBuilder().setOverlap(r.overlap()).build())
            .setState(ScheduleState.newBuilder().setPaused(r.paused()).build())
            .build();
    ScheduleOptions options =
        ScheduleOptions.newBuilder().setMemo(ScheduleRow.memo(r, spec.name())).build();
    call(r.name(), () -> client.createSchedule(r.name(), schedule, options));
  }

  /** Every schedule of the namespace (visibility: a change shows after a moment). */
  List<ScheduleRow> list() {
    return call("", () -> client.listSchedules().map(ScheduleRow::of).toList());
  }

  void pause(String name, String note) {
    handle(name, h -> h.pause(note == null ? "paused with stepbox" : note));
  }

  void unpause(String name, String note) {
    handle(name, h -> h.unpause(note == null ? "unpaused with stepbox" : note));
  }

  /** Starts a run now, under the schedule's overlap policy. */
  void trigger(String name) {
    handle(name, ScheduleHandle::trigger);
  }

  /** Deletes the schedule; runs it started go on. */
  void delete(String name) {
    handle(name, ScheduleHandle::delete);
  }

  private void handle(String name, Consumer<ScheduleHandle> action) {
    call(
        name,
        () -> {
          action.accept(client.getHandle(name));
          return null;
        });
  }

  private <T> T call(String name, Supplier<T> action) {
    try {
      return action.get();
    } catch (ScheduleAlreadyRunningException e) {
      throw new CommandException(
          TaskExit.FAILED,
          "a schedule named '"
              + name
              + "' exists already: delete it first (stepbox schedule delete "
              + name
              + ") or pick another name",
          e);
    } catch (RuntimeException e) {
      if (Status.fromThrowable(e).getCode() == Status.Code.NOT_FOUND) {
        throw new CommandException(
            TaskExit.FAILED,
            "no schedule '"
                + name
                + "' in namespace "
                + temporal.namespace()
                + " at "
                + temporal.address()
                + "; stepbox schedule list shows them",
            e);
      }
      throw VisibilityErrors.translate(e, "schedule '" + name + "'", temporal);
    }
  }

  @Override
  public void close() {
    temporal.close();
  }
}
