package io.stepbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metrics address variables and the endpoint on a free port. */
class WorkerMetricsTest {
  @Test
  void addressDefaultsFreePortAndOff() {
    assertThat(MetricsAddress.parse(null, null))
        .contains(new MetricsAddress("127.0.0.1", MetricsAddress.DEFAULT_PORT));
    assertThat(MetricsAddress.parse("0.0.0.0", "0")).contains(new MetricsAddress("0.0.0.0", 0));
    assertThat(MetricsAddress.parse(null, "off")).isEqualTo(Optional.empty());
    assertThat(MetricsAddress.parse(null, "OFF")).isEmpty();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> MetricsAddress.parse(null, "nine"))
        .hasMessageContaining("STEPBOX_METRICS_PORT: 'nine'")
        .hasMessageContaining("off");
    assertThatThrownBy(() -> MetricsAddress.parse(null, "70000"))
        .hasMessageContaining("STEPBOX_METRICS_PORT");
    assertThatThrownBy(() -> MetricsAddress.parse("", null))
        .hasMessageContaining("STEPBOX_METRICS_HOST");
  }

  @Test
  void servesTheRegistryAtItsUrlAndNothingElse() throws Exception {
    try (WorkerMetrics metrics = WorkerMetrics.serving(new MetricsAddress("127.0.0.1", 0))) {
      metrics.registry().counter("stepbox.test.things").increment(2);
      String url = metrics.url().orElseThrow();
      assertThat(url).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
      assertThat(ok.body()).contains("stepbox_test_things_total 2.0", "jvm_memory_used_bytes");
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(url.replace("/metrics", "/other"))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPortInUseIsAnErrorThatNamesTheVariable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> WorkerMetrics.serving(new MetricsAddress("127.0.0.1", taken.getLocalPort())))
          .isInstanceOf(MetricsException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("STEPBOX_METRICS_PORT");
    }
  }

  @Test
  void anAddressNotOfThisHostIsAnErrorThatNamesTheVariable() {
    assertThatThrownBy(() -> WorkerMetrics.serving(new MetricsAddress("192.0.2.1", 0)))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("STEPBOX_METRICS_HOST");
  }

  @Test
  void unservedHasNoUrl() {
    try (WorkerMetrics metrics = WorkerMetrics.unserved()) {
      assertThat(metrics.url()).isEmpty();
      assertThat(metrics.scrape()).contains("jvm_");
    }
  }
}
