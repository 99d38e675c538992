package io.stepbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stepbox.sandbox.SandboxException.Reason;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {
  private final DockerErrors errors = new DockerErrors("unix:///var/run/docker.sock");

  @Test
  void anUnreachableEngineIsRetryableAndSaysHowToStartIt() {
    SandboxException e =
        errors.translate("create", new RuntimeException(new ConnectException("refused")));
    assertThat(e.reason()).isEqualTo(Reason.ENGINE);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("unix:///var/run/docker.sock", "./stepbox setup", "DOCKER_HOST");
  }

  @Test
  void daemonMessagesAreKeptAndClassified() {
    assertThat(
            errors.translate(
                "create",
                new BadRequestException(
                    "Status 400: {\"message\":\"Unknown runtime specified foo\"}")))
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.RUNTIME);
              assertThat(e.getMessage()).isEqualTo("create: Unknown runtime specified foo");
            });
    assertThat(
            errors.translate(
                "start",
                new InternalServerErrorException(
                    "cannot run with network enabled in root network namespace")))
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.RUNTIME);
              assertThat(e.getMessage())
                  .contains("./stepbox setup", "runsc/go.mod")
                  .doesNotContain("wrapper");
            });
    assertThat(
            errors.translate(
                "create",
                new InternalServerErrorException(
                    "--storage-opt is supported only for overlay over xfs with 'pquota' mount option")))
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC);
              assertThat(e.getMessage()).contains("disk", "xfs");
            });
    assertThat(errors.translate("rm", new NotFoundException("No such container: x")).reason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(errors.translate("create", new BadRequestException("Range of CPUs")).reason())
        .isEqualTo(Reason.INVALID_SPEC);
    assertThat(errors.translate("exec", new InternalServerErrorException("boom")).retryable())
        .isTrue();
  }
}
