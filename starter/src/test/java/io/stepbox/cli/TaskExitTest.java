package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepbox.client.AlreadyStartedException;
import io.stepbox.client.ExecFailedException;
import io.stepbox.client.InvalidTaskSpecException;
import io.stepbox.client.NoWorkerException;
import io.stepbox.client.NotFoundException;
import io.stepbox.client.RefusedException;
import io.stepbox.client.UnavailableException;
import io.stepbox.workflows.spec.SpecError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit codes of the client's failures, as the README's table of the task commands says. */
class TaskExitTest {
  @Test
  void clientFailures() {
    assertThat(
            Failures.clientExit(new InvalidTaskSpecException(null, List.of(new SpecError("", "x")), null)))
        .isEqualTo(2);
    assertThat(Failures.clientExit(new UnavailableException("down", null))).isEqualTo(125);
    assertThat(Failures.clientExit(new NoWorkerException("none", null))).isEqualTo(125);
    assertThat(Failures.clientExit(new ExecFailedException("failed", null))).isEqualTo(125);
    assertThat(Failures.clientExit(new NotFoundException("gone", null))).isEqualTo(1);
    assertThat(Failures.clientExit(new RefusedException("refused: no", "no", null))).isEqualTo(1);
    assertThat(Failures.clientExit(new AlreadyStartedException("task", "t", null))).isEqualTo(1);
  }
}
