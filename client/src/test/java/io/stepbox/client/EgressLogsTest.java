package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.store.LocalBlobStore;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSummary;
import io.stepbox.workflows.step.StepPhases;
import io.stepbox.workflows.task.AttemptStatus;
import io.stepbox.workflows.task.StepState;
import io.stepbox.workflows.task.StepStatus;
import io.stepbox.workflows.task.TaskState;
import io.stepbox.workflows.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Egress logs read back from a blob store as {@code TaskHandle.egress} and {@code
 * SessionHandle.egress} read them: the attempt's summary names the log, the log is JSON lines.
 */
class EgressLogsTest {
  private static final String REF = "outputs/t-1/fetch/egress.jsonl";
  private static final EgressRecord ALLOWED =
      new EgressRecord(
          1_000, "allowed", "CONNECT", "pypi.org", 443, "pypi.org", 200, 512, 4096, null, null,
          null);
  private static final EgressRecord WITH_SECRET =
      new EgressRecord(
          2_000, "allowed", "CONNECT", "github.com", 443, "github.com", 200, 900, 70_000,
          "GITHUB_TOKEN", null, null);
  private static final EgressRecord DENIED =
      new EgressRecord(
          3_000, "denied", "GET", "evil.test", 80, null, 403, 0, 0, null, "NOT_ALLOWED",
          "evil.test:80 is not on the sandbox's allow list");

  @TempDir Path dir;
  private LocalBlobStore store;
  private Outputs outputs;

  @BeforeEach
  void open() {
    store = new LocalBlobStore(dir);
    outputs = new Outputs(null, store);
  }

  private void write(String ref, String text) {
    store.put(ref, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The log as the worker writes it: Jackson with default settings, one record a line. */
  private static String jsonLines(List<EgressRecord> records) {
    ObjectMapper json = new ObjectMapper();
    return records.stream()
            .map(
                r -> {
                  try {
                    return json.writeValueAsString(r);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static AttemptStatus attempt(String approach, EgressSummary egress) {
    return new AttemptStatus(
        approach, "EXITED", 1, "snap", 0, 0, "", "", "o", "e", StepPhases.NONE, 10, false, null,
        egress);
  }

  @Test
  void theDecidingAttemptsLogIsReadRecordByRecord() {
    List<EgressRecord> log = List.of(ALLOWED, WITH_SECRET, DENIED);
    write(REF, jsonLines(log));
    TaskStatus status =
        new TaskStatus(
            "t-1",
            "fetch",
            TaskState.FAILED,
            "fetch",
            List.of(
                new StepStatus(
                    "fetch",
                    StepState.FAILED,
                    "retry",
                    1,
                    List.of(
                        attempt("default", EgressSummary.of(List.of(DENIED), "elsewhere")),
                        attempt("retry", EgressSummary.of(log, REF))),
                    null,
                    0,
                    null)),
            null,
            0,
            List.of(),
            null,
            0,
            0);

    AttemptStatus deciding = Attempts.pick(status, "fetch", null);
    List<EgressRecord> read =
        EgressLogs.read(EgressLogs.open(outputs, deciding.egress(), "step fetch"), "step fetch");

    assertThat(read).containsExactly(ALLOWED, WITH_SECRET, DENIED);
    assertThat(read.get(1).secret()).isEqualTo("GITHUB_TOKEN");
    assertThat(read.get(2).denied()).isTrue();
  }

  @Test
  void noEgressOrNoRequestIsAnEmptyLog() {
    assertThat(EgressLogs.read(EgressLogs.open(outputs, null, "step a"), "step a")).isEmpty();
    assertThat(EgressLogs.read(EgressLogs.open(outputs, EgressSummary.EMPTY, "step a"), "step a"))
        .isEmpty();
    write(REF, "\n");
    EgressSummary blank = EgressSummary.of(List.of(), REF);
    assertThat(EgressLogs.read(EgressLogs.open(outputs, blank, "step a"), "step a")).isEmpty();
  }

  @Test
  void fieldsOfANewerWorkerAreIgnored() {
    write(
        REF,
        "{\"timeMillis\":5,\"decision\":\"allowed\",\"method\":\"GET\",\"host\":\"a.test\","
            + "\"port\":80,\"status\":200,\"bytesOut\":1,\"bytesIn\":2,\"tlsVersion\":\"1.3\"}\n");
    List<EgressRecord> read =
        EgressLogs.read(
            EgressLogs.open(outputs, EgressSummary.of(List.of(), REF), "step a"), "step a");
    assertThat(read)
        .containsExactly(
            new EgressRecord(5, "allowed", "GET", "a.test", 80, null, 200, 1, 2, null, null, null));
  }

  @Test
  void aMissingLogOrABadLineSaysWhich() {
    EgressSummary gone = EgressSummary.of(List.of(DENIED), REF);
    assertThatThrownBy(() -> EgressLogs.open(outputs, gone, "step fetch"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageStartingWith("the egress log of step fetch (" + REF + ") is not in the blob store");

    write(REF, jsonLines(List.of(ALLOWED)) + "not json\n");
    assertThatThrownBy(
            () -> EgressLogs.read(EgressLogs.open(outputs, gone, "step fetch"), "step fetch"))
        .isInstanceOf(StepboxClientException.class)
        .hasMessageStartingWith("line 2 of the egress log of step fetch is not an egress record");
  }
}
