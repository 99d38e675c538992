package io.stepbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepbox.sandbox.DockerSandboxRuntime;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * What every command gets: configuration, the three standard streams and the JSON printer. The
 * engine connection is opened on first use.
 */
final class Cli implements AutoCloseable {
  /** Worker id of sandboxes made from the command line; only expiry removes them. */
  static final String CLI_WORKER = "cli";

  final StepboxConfig config;
  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final ObjectMapper json =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();
  private DockerSandboxRuntime runtime;

  Cli(StepboxConfig config, InputStream in, PrintStream out, PrintStream err) {
    this.config = config;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  DockerSandboxRuntime runtime() {
    if (runtime == null) {
      runtime =
          DockerSandboxRuntime.connect(config.dockerHost(), CLI_WORKER, new SimpleMeterRegistry());
    }
    return runtime;
  }

  void printJson(Object value) {
    try {
      out.println(json.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  @Override
  public void close() {
    if (runtime != null) {
      runtime.close();
    }
  }
}
