package io.stepbox.specfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.spec.TaskSpecException;
import io.stepbox.workflows.spec.TaskSpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a task spec file (YAML, or JSON when the name ends in {@code .json}), resolves the host
 * paths of its inputs against the file's directory and validates it. Every problem comes out as a
 * {@link TaskSpecException} whose errors carry a path, such as {@code steps[1].run}: reading errors
 * (unknown field, wrong type, bad syntax) one at a time, since the reader stops at the first;
 * validation errors all at once.
 */
public final class TaskSpecReader {
  private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

  private TaskSpecReader() {}

  private static <B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<?, B>> B configure(
      B builder) {
    return builder
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /**
   * Reads, resolves and validates the spec in {@code file}.
   *
   * @throws TaskSpecException when the file cannot be read or the spec is not valid
   */
  public static TaskSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw fail("", "no such file: " + file);
    } catch (IOException e) {
      throw fail("", "cannot read " + file + ": " + e.getMessage());
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, json, dir);
  }

  /**
   * Parses, resolves and validates a spec given as text.
   *
   * @param json whether the text is JSON rather than YAML
   * @param baseDir the directory relative input paths are resolved against
   * @throws TaskSpecException when the spec is not valid
   */
  public static TaskSpec parse(String text, boolean json, Path baseDir) {
    if (text == null || text.isBlank()) {
      throw fail("", "the spec is empty");
    }
    ObjectMapper mapper = json ? JSON : YAML;
    TaskSpec spec;
    try {
      JsonNode tree = mapper.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw fail("", "the spec is empty");
      }
      if (!tree.isObject()) {
        throw fail("", "expected a mapping of fields (name, image, steps, ...) at the top");
      }
      spec = mapper.treeToValue(tree, TaskSpec.class);
    } catch (JsonProcessingException e) {
      throw new TaskSpecException(List.of(JacksonErrors.of(e, json ? "JSON" : "YAML")));
    }
    return TaskSpecValidator.check(spec.withInputs(resolve(spec.inputs(), baseDir)));
  }

  private static Map<String, InputSpec> resolve(Map<String, InputSpec> inputs, Path baseDir) {
    Map<String, InputSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, InputSpec> e : inputs.entrySet()) {
      InputSpec in = e.getValue();
      if (in != null && in.path() != null && !in.path().isBlank()) {
        in = in.withPath(hostPath(in.path(), baseDir));
      }
      out.put(e.getKey(), in);
    }
    return out;
  }

  private static String hostPath(String path, Path baseDir) {
    Path p;
    if (path.equals("~") || path.startsWith("~/")) {
      p =
          Path.of(System.getProperty("user.home"))
              .resolve(path.substring(1).replaceFirst("^/", ""));
    } else {
      p = baseDir.resolve(path);
    }
    return p.toAbsolutePath().normalize().toString();
  }

  private static TaskSpecException fail(String path, String message) {
    return new TaskSpecException(List.of(new SpecError(path, message)));
  }
}
