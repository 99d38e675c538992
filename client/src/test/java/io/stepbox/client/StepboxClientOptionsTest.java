package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepboxClientOptionsTest {
  @Test
  void defaultsComeFromTheEnvironmentLikeTheCli() {
    StepboxClientOptions none =
        StepboxClientOptions.newBuilder(Map.of("STEPBOX_DATA_DIR", "/srv/sb")).build();
    assertThat(none.address()).isEqualTo("127.0.0.1:7233");
    assertThat(none.namespace()).isEqualTo("default");
    assertThat(none.blobUrl()).contains("file:///srv/sb/blobs");
    assertThat(none.blobStore()).isEmpty();

    StepboxClientOptions set =
        StepboxClientOptions.newBuilder(
                Map.of(
                    "TEMPORAL_ADDRESS", "temporal:7233",
                    "TEMPORAL_NAMESPACE", "agents",
                    "STEPBOX_BLOB_URL", "s3://b/p"))
            .build();
    assertThat(set.address()).isEqualTo("temporal:7233");
    assertThat(set.namespace()).isEqualTo("agents");
    assertThat(set.blobUrl()).contains("s3://b/p");
  }

  @Test
  void toBuilderKeepsEverythingAndOptionsAreImmutable() {
    StepboxClientOptions.Builder b =
        StepboxClientOptions.newBuilder(Map.of()).setConnectTimeout(Duration.ofSeconds(1));
    StepboxClientOptions a = b.build();
    b.setAddress("elsewhere:1");
    assertThat(a.address()).isEqualTo("127.0.0.1:7233");
    StepboxClientOptions copy = a.toBuilder().setNamespace("other").build();
    assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(copy.namespace()).isEqualTo("other");
    assertThat(a.namespace()).isEqualTo("default");
  }
}
