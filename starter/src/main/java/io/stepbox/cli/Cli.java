package io.stepbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepbox.client.StepboxClient;
import io.stepbox.client.StepboxClientOptions;
import io.stepbox.logging.LogFormat;
import io.stepbox.sandbox.DockerSandboxRuntime;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.BlobStore;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/**
 * What every command gets: configuration, the three standard streams and the JSON printer. The
 * engine connection is opened on first use.
 */
public final class Cli implements AutoCloseable {
  /** Worker id of sandboxes made from the command line; only expiry removes them. */
  public static final String CLI_WORKER = "cli";

  private final StepboxConfig config;
  private LogFormat logFormat = LogFormat.TEXT;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final ObjectMapper json =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();
  private DockerSandboxRuntime runtime;
  private BlobStore blobs;
  private SnapshotEngine snapshots;

  Cli(StepboxConfig config, InputStream in, PrintStream out, PrintStream err) {
    this.config = config;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  public StepboxConfig config() {
    return config;
  }

  public LogFormat logFormat() {
    return logFormat;
  }

  /** Set once the command line is read: --log-format comes before the command. */
  void useLogFormat(LogFormat format) {
    this.logFormat = format;
  }

  public InputStream in() {
    return in;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** The mapper that {@link #printJson} writes with, for reading JSON too. */
  public ObjectMapper json() {
    return json;
  }

  /** Copies a stream (a step's full output, a tar) to stdout and closes it. */
  public void copyToOut(InputStream stream, String what) {
    try (InputStream from = stream) {
      from.transferTo(out);
      out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + what, e);
    }
  }

  public DockerSandboxRuntime runtime() {
    if (runtime == null) {
      runtime =
          DockerSandboxRuntime.connect(config.dockerHost(), CLI_WORKER, new SimpleMeterRegistry());
    }
    return runtime;
  }

  public BlobStore blobs() {
    if (blobs == null) {
      blobs = BlobStore.open(config.blobUrl());
    }
    return blobs;
  }

  public SnapshotEngine snapshots() {
    if (snapshots == null) {
      snapshots = new SnapshotEngine(runtime(), blobs(), new ObjectMapper(), Clock.systemUTC());
    }
    return snapshots;
  }

  /** A client of the configured Temporal and blob store; the caller closes it. */
  public StepboxClient connectClient() {
    return StepboxClient.connect(
        StepboxClientOptions.newBuilder()
            .setAddress(config.temporalAddress())
            .setNamespace(config.temporalNamespace())
            .setBlobUrl(config.blobUrl())
            .build());
  }

  /**
   * A notice of a long-running command (the worker's start and stop): a line on stderr, or with
   * {@code --log-format json} a log event, so that everything on stderr is JSON then.
   */
  public void note(String message) {
    if (logFormat == LogFormat.JSON) {
      LoggerFactory.getLogger(Cli.class).info(message);
    } else {
      err.println(message);
    }
  }

  /** Whether {@link #out} is a terminal that a live display can redraw. */
  public boolean terminal() {
    String term = System.getenv("TERM");
    return out == System.out && System.console() != null && term != null && !term.equals("dumb");
  }

  public void printJson(Object value) {
    try {
      out.println(json.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  @Override
  public void close() {
    if (snapshots != null) {
      snapshots.close();
    }
    if (blobs != null) {
      blobs.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }
}
