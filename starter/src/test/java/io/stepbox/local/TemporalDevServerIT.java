package io.stepbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepbox.connect.TemporalConnectException;
import io.stepbox.connect.TemporalConnection;
import io.stepbox.connect.TemporalUnreachableException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The temporal CLI dev server: restart on the same SQLite file, side by side, start failures. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TemporalDevServerIT {
  @TempDir Path tmp;

  @Test
  void aWorkflowStartedBeforeARestartIsStillThereAfterIt() {
    try (TemporalDevServer server =
        TemporalDevServer.newBuilder(tmp.resolve("temporal.db")).build().start()) {
      String runId;
      try (TemporalConnection t = TemporalConnection.connect(server.address(), "default")) {
        WorkflowOptions options =
            WorkflowOptions.newBuilder()
                .setTaskQueue("nobody-polls")
                .setWorkflowId("survivor")
                .build();
        runId = t.client().newUntypedWorkflowStub("NoWorkerHere", options).start("x").getRunId();
      }
      int port = server.port();

      server.stop();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> TemporalConnection.connect(server.address(), "default"))
          .isInstanceOf(TemporalUnreachableException.class)
          .hasMessageContaining("cannot reach Temporal at " + server.address())
          .hasMessageContaining("temporal server start-dev")
          .hasMessageContaining("./stepbox demo");

      server.start();
      assertThat(server.port()).isEqualTo(port);
      try (TemporalConnection t = TemporalConnection.connect(server.address(), "default")) {
        WorkflowStub stub = t.client().newUntypedWorkflowStub("survivor");
        WorkflowExecutionDescription d = stub.describe();
        assertThat(d.getExecution().getRunId()).isEqualTo(runId);
        assertThat(d.getWorkflowType()).isEqualTo("NoWorkerHere");
        assertThat(d.getStatus())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      }
      assertThat(server.logFile()).isEqualTo(tmp.resolve("temporal.log"));
      assertThat(server.logTail()).contains("--- stepbox: ", "--db-filename " + server.dbFile());
    }
  }

  @Test
  void twoServersRunSideBySideAndCloseEndsThem() {
    TemporalDevServer a = TemporalDevServer.newBuilder(tmp.resolve("a.db")).build();
    TemporalDevServer b =
        TemporalDevServer.newBuilder(tmp.resolve("b.db")).setNamespace("other").build();
    try (a;
        b) {
      a.start();
      b.start();
      assertThat(a.address()).isNotEqualTo(b.address());
      try (TemporalConnection ta = TemporalConnection.connect(a.address(), "default");
          TemporalConnection tb = TemporalConnection.connect(b.address(), "other")) {
        assertThat(ta.namespace()).isEqualTo("default");
        assertThat(tb.address()).isEqualTo(b.address());
      }
      assertThatThrownBy(() -> TemporalConnection.connect(a.address(), "other"))
          .isInstanceOf(TemporalConnectException.class)
          .isNotInstanceOf(TemporalUnreachableException.class)
          .hasMessageContaining("has no namespace 'other'");
    }
    assertThat(a.isRunning()).isFalse();
    assertThat(b.isRunning()).isFalse();
  }

  @Test
  void aServerThatCannotStartFailsWithItsLog() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      TemporalDevServer server =
          TemporalDevServer.newBuilder(tmp.resolve("t.db"))
              .setPort(taken.getLocalPort())
              .setStartTimeout(Duration.ofSeconds(30))
              .build();
      assertThatThrownBy(server::start)
          .isInstanceOf(LocalStackException.class)
          .hasMessageContaining("the Temporal dev server on " + server.address())
          .hasMessageContaining(server.logFile().toString())
          .hasMessageContaining("--- stepbox: ");
      assertThat(server.isRunning()).isFalse();
    }
  }

  @Test
  void aMissingBinaryIsReportedWhenStarting() {
    TemporalDevServer server =
        TemporalDevServer.newBuilder(tmp.resolve("t.db"))
            .setBinary(tmp.resolve("no-temporal"))
            .build();
    assertThatThrownBy(server::start)
        .isInstanceOf(LocalStackException.class)
        .hasMessageContaining("cannot start " + tmp.resolve("no-temporal"));
  }
}
