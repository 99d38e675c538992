package io.stepbox.workflows.task;

import io.stepbox.workflows.internal.Failures;
import io.stepbox.workflows.internal.StepRunner;
import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.spec.TaskSpecException;
import io.stepbox.workflows.spec.TaskSpecValidator;
import io.stepbox.workflows.step.ExportRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;

/**
 * Runs a task's steps in order, with approaches, approval gates, warm reuse and exports; asks a
 * person before widening a step's allow list.
 */
public class AgentTaskWorkflowImpl implements AgentTaskWorkflow {
  private final TaskProgress progress;
  private final ApprovalGate gate;
  private final ApprovedHosts approved = new ApprovedHosts();
  private final EgressApproval egress;

  /** Sets up the status before any query or update can arrive. */
  @WorkflowInit
  public AgentTaskWorkflowImpl(TaskInput input) {
    String taskId = Workflow.getInfo().getWorkflowId();
    progress = new TaskProgress(taskId, input.spec(), Workflow.currentTimeMillis());
    gate = new ApprovalGate(progress);
    egress = new EgressApproval(input.spec(), progress, approved);
  }

  @Override
  public TaskStatus run(TaskInput input) {
    String taskId = Workflow.getInfo().getWorkflowId();
    TaskVisibility visibility = TaskVisibility.start(input.spec());
    progress.onChange(visibility::publish);
    visibility.publish(progress.status());
    List<SpecError> errors = TaskSpecValidator.validate(input.spec());
    if (!errors.isEmpty()) {
      end(TaskState.FAILED, new TaskSpecException(errors).getMessage());
      return progress.status();
    }
    StepRunner runner = new StepRunner(null);
    try {
      runSteps(input, taskId, runner);
    } finally {
      runner.releaseWarm();
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    return progress.status();
  }

  private void runSteps(TaskInput input, String taskId, StepRunner runner) {
    List<StepSpec> steps = input.spec().steps();
    StepPlanner planner = new StepPlanner(input, taskId, approved);
    StepExecutor executor = new StepExecutor(planner, runner, progress);
    String base = null;
    for (int i = 0; i < steps.size(); i++) {
      StepSpec step = steps.get(i);
      if (step.requiresApproval()) {
        runner.releaseWarm();
        if (!gate.await(i, step)) {
          end(TaskState.REJECTED, null);
          return;
        }
      }
      boolean keepWarm = i + 1 < steps.size() && !steps.get(i + 1).requiresApproval();
      StepExecutor.Outcome outcome = runStep(executor, runner, i, step, base, keepWarm);
      if (!outcome.succeeded()) {
        end(TaskState.FAILED, outcome.error());
        return;
      }
      base = outcome.snapshot();
    }
    runner.releaseWarm();
    export(input.spec(), taskId, base, runner);
  }

  /**
   * Runs step {@code i}; while it fails with hosts denied that a person may allow, asks, and on
   * approval reruns it from the same base with the hosts allowed.
   */
  private StepExecutor.Outcome runStep(
      StepExecutor executor,
      StepRunner runner,
      int i,
      StepSpec step,
      String base,
      boolean keepWarm) {
    long start = Workflow.currentTimeMillis();
    StepExecutor.Outcome outcome = executor.run(i, step, base, keepWarm, start);
    List<String> hosts = egress.askable(step, outcome);
    while (!hosts.isEmpty()) {
      runner.releaseWarm();
      if (!egress.await(i, hosts)) {
        return StepExecutor.Outcome.failed(egress.rejection(i));
      }
      outcome = executor.run(i, step, base, keepWarm, start);
      hosts = egress.askable(step, outcome);
    }
    return outcome;
  }

  private void export(TaskSpec spec, String taskId, String snapshot, StepRunner runner) {
    if (!spec.exports().isEmpty()) {
      try {
        progress.exported(
            runner.export(new ExportRequest(taskId, spec.image(), snapshot, spec.exports())));
      } catch (ActivityFailure e) {
        end(TaskState.FAILED, "export failed: " + Failures.describe(e));
        return;
      }
    }
    end(TaskState.COMPLETED, null);
  }

  private void end(TaskState state, String error) {
    progress.end(state, error, Workflow.currentTimeMillis());
  }

  @Override
  public TaskStatus decide(Decision decision) {
    return gate.decide(decision);
  }

  @Override
  public void validateDecide(Decision decision) {
    gate.validate(decision);
  }

  @Override
  public TaskStatus status() {
    return progress.status();
  }
}
