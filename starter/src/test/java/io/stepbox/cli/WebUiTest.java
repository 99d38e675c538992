package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebUiTest {
  @Test
  void aConfiguredUiLinksToTheTaskPageWithTheIdEscaped() {
    WebUi ui = WebUi.find(config(Map.of("STEPBOX_TEMPORAL_UI", "http://ui.test:8080/")));
    assertThat(ui.taskPage("default", "fix calc/1"))
        .contains("http://ui.test:8080/namespaces/default/workflows/fix%20calc%2F1");
  }

  @Test
  void noneMeansNoLink() {
    WebUi ui = WebUi.find(config(Map.of("STEPBOX_TEMPORAL_UI", "none")));
    assertThat(ui.taskPage("default", "t")).isEmpty();
    assertThat(ui.whyNone()).contains("STEPBOX_TEMPORAL_UI=none");
  }

  @Test
  void theDevServersUiIsFoundBesideItsFrontendWhenItAnswers() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback(), 0), 0);
    server.createContext("/", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
    try {
      int frontend = server.getAddress().getPort() - WebUi.DEV_UI_OFFSET;
      WebUi ui = WebUi.find(config(Map.of("TEMPORAL_ADDRESS", "127.0.0.1:" + frontend)));
      assertThat(ui.base()).contains("http://127.0.0.1:" + server.getAddress().getPort());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aUiThatDoesNotAnswerIsNotLinked() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, loopback())) {
      free = s.getLocalPort();
    }
    WebUi ui =
        WebUi.find(
            config(Map.of("TEMPORAL_ADDRESS", "127.0.0.1:" + (free - WebUi.DEV_UI_OFFSET))));
    assertThat(ui.base()).isEmpty();
    assertThat(ui.whyNone().orElseThrow()).contains("nothing answers at http://127.0.0.1:" + free);
  }

  private static InetAddress loopback() throws Exception {
    return InetAddress.getByName("127.0.0.1");
  }

  private static StepboxConfig config(Map<String, String> env) {
    return StepboxConfig.from(env);
  }
}
