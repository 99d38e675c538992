package io.stepbox.examples;

import io.stepbox.client.ExecResult;
import io.stepbox.client.OutputKind;
import io.stepbox.client.SessionHandle;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.TaskHandle;
import io.stepbox.client.TaskSpecs;
import io.stepbox.workflows.Images;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An agent loop on stepbox, to copy. A session runs each command as a durable step in a gVisor
 * sandbox, from the previous command's snapshot: the loop writes a file, runs a check that fails,
 * reads why, fixes the file and checks again; then it forks the session to try something on the
 * side. Last, it starts a declared task whose publish step waits for approval, and approves it.
 *
 * <p>Needs a Temporal server and a stepbox worker (TEMPORAL_ADDRESS, STEPBOX_BLOB_URL as for them):
 *
 * <pre>
 * temporal server start-dev &amp;   ./stepbox worker &amp;
 * java -cp starter/target/stepbox.jar io.stepbox.examples.AgentLoopExample
 * </pre>
 */
public final class AgentLoopExample {
  static final String IMAGE = Images.DEFAULT;

  static final String CHECK =
      "test \"$(cat /workspace/answer)\" = 42 || { echo \"wrong: $(cat /workspace/answer)\" >&2;"
          + " exit 1; }";

  /** The task the loop starts: a build step, then a publish step behind an approval gate. */
  public static final String TASK =
      """
      name: release-notes
      image: stepbox/base:busybox
      steps:
        - id: build
          run: mkdir -p /workspace/out && echo "notes for v1" | tee /workspace/out/notes.txt
        - id: publish
          run: cat /workspace/out/notes.txt
          approval: {required: true, timeout: 1h, onTimeout: reject}
      """;

  /**
   * What the loop saw.
   *
   * @param firstCheck the exit code of the first check (1: the answer was wrong)
   * @param fixedCheck the check after the fix, run where the fix left the session
   * @param forkSaw what the fork read from the parent's file
   * @param parentSeesForkFile the exit code of looking for the fork's file in the parent (1: no)
   * @param task how the approved task ended
   * @param buildOutput the full stdout of the task's build step
   */
  public record Outcome(
      int firstCheck,
      ExecResult fixedCheck,
      String forkSaw,
      int parentSeesForkFile,
      TaskState task,
      String buildOutput) {}

  private AgentLoopExample() {}

  /** Runs the loop against TEMPORAL_ADDRESS; exits 0 when everything went as planned. */
  public static void main(String[] args) {
    try (StepboxClient client = StepboxClient.connect()) {
      Outcome o = run(client, System.out);
      System.exit(o.fixedCheck().succeeded() && o.task() == TaskState.COMPLETED ? 0 : 1);
    }
  }

  /** The loop, on any client. */
  public static Outcome run(StepboxClient client, PrintStream log) {
    // A session: each exec is a durable step from where the previous one left the files.
    SessionHandle session = client.openSession(IMAGE);
    session.exec("mkdir -p /workspace && echo 41 > /workspace/answer");
    ExecResult check = session.exec(CHECK);
    int firstCheck = check.exitCode();
    if (!check.succeeded()) { // the agent reads why and decides the next command
      log.println("check failed (" + check.stderrTail().strip() + "): fixing the answer");
      session.exec("echo 42 > /workspace/answer");
      check = session.exec(CHECK);
    }
    log.printf(
        "check: exit %d, %s ms, warm %s%n",
        check.exitCode(), check.duration().toMillis(), check.warm());

    SessionHandle fork = session.fork(); // another approach from the same snapshot
    String forkSaw =
        fork.exec("echo idea > /workspace/notes && cat /workspace/answer").stdoutTail();
    int parentSees = session.exec("test -e /workspace/notes").exitCode();
    log.printf(
        "fork %s read %s; the parent sees its notes: %s%n",
        fork.id(), forkSaw.strip(), parentSees == 0);
    fork.close();
    String snapshot = session.close().snapshotId(); // a new session can go on from here
    log.println("session " + session.id() + " closed at snapshot " + snapshot);

    // A declared task: its steps run on their own; the publish step waits for a decision.
    TaskSpec spec = TaskSpecs.parseYaml(TASK, Path.of("."));
    TaskHandle task = client.startTask(spec);
    TaskStatus waiting = task.awaitApprovalRequest(Duration.ofMinutes(5));
    if (waiting.status() == TaskState.WAITING_APPROVAL) {
      log.println("task " + task.id() + " waits for approval of " + waiting.currentStep());
      task.approve(waiting.currentStep(), "the agent checked the notes", "agent-loop-example");
    }
    TaskStatus end = task.awaitResult(Duration.ofMinutes(5));
    String build = task.output("build", OutputKind.STDOUT);
    log.println("task " + task.id() + ": " + end.status() + "; build printed: " + build.strip());
    return new Outcome(firstCheck, check, forkSaw, parentSees, end.status(), build);
  }
}
