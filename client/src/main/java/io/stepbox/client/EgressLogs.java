package io.stepbox.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepbox.workflows.egress.EgressRecord;
import io.stepbox.workflows.egress.EgressSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Egress logs: the JSON lines of {@link EgressRecord}, one per request, that a worker stores next
 * to a step's output under {@link EgressSummary#logRef()}.
 */
final class EgressLogs {
  /** Fields a newer worker adds to the records must not break an older client. */
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EgressLogs() {}

  /**
   * The log of {@code summary} as stored, from {@code outputs}; an empty stream when there is no
   * summary (no egress) or no log (no request). {@code what} names the step in messages.
   *
   * @throws NotFoundException the log is not in the blob store
   */
  static InputStream open(Outputs outputs, EgressSummary summary, String what) {
    if (summary == null || summary.logRef() == null) {
      return InputStream.nullInputStream();
    }
    return outputs.open(summary.logRef(), "the egress log of " + what);
  }

  /**
   * The records of a log, in order, read to its end; closes {@code log}. Blank lines are skipped.
   *
   * @throws StepboxClientException a line is not an egress record
   */
  static List<EgressRecord> read(InputStream log, String what) {
    List<EgressRecord> records = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(log, StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        n++;
        if (!line.isBlank()) {
          records.add(parse(line, n, what));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the egress log of " + what, e);
    }
    return records;
  }

  private static EgressRecord parse(String line, int n, String what) {
    try {
      return JSON.readValue(line, EgressRecord.class);
    } catch (JsonProcessingException e) {
      throw new StepboxClientException(
          "line "
              + n
              + " of the egress log of "
              + what
              + " is not an egress record: "
              + e.getOriginalMessage(),
          e);
    }
  }
}
