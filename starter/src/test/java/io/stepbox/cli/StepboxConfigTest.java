package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepboxConfigTest {

  @Test
  void defaultsForOneMachine() {
    StepboxConfig c = StepboxConfig.from(Map.of("XDG_DATA_HOME", "/data"));
    assertThat(c.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.runtime()).isEqualTo("runsc");
    assertThat(c.dataDir()).isEqualTo(Path.of("/data/stepbox"));
    assertThat(c.blobUrl()).isEqualTo("file:///data/stepbox/blobs");
    assertThat(c.temporalAddress()).isEqualTo("127.0.0.1:7233");
    assertThat(c.temporalAddressSet()).as("the demo starts its own server").isFalse();
    assertThat(c.workerId()).isNotBlank();
    assertThat(c.temporalCli()).as("searched on PATH").isNull();
  }

  @Test
  void environmentWins() {
    StepboxConfig c =
        StepboxConfig.from(
            Map.of(
                "DOCKER_HOST",
                "tcp://127.0.0.1:2375",
                "STEPBOX_WORKER_ID",
                "w1",
                "STEPBOX_DATA_DIR",
                "/srv/sb",
                "STEPBOX_BLOB_URL",
                "s3://bucket/p",
                "TEMPORAL_ADDRESS",
                "t:7233",
                "TEMPORAL_NAMESPACE",
                "ns",
                "STEPBOX_TEMPORAL_CLI",
                "none"));
    assertThat(c)
        .isEqualTo(
            new StepboxConfig(
                "tcp://127.0.0.1:2375",
                "w1",
                "runsc",
                Path.of("/srv/sb"),
                "s3://bucket/p",
                "t:7233",
                "ns",
                true,
                "none",
                null,
                null,
                null,
                null));
  }
}
