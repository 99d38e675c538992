package io.stepbox.client;

import io.stepbox.specfile.TaskSpecReader;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.spec.TaskSpecException;
import io.stepbox.workflows.spec.TaskSpecValidator;
import java.nio.file.Path;

/**
 * Task specs for {@link StepboxClient#startTask}: read from a file, parsed from YAML text, or
 * checked when built in code. Every problem is one {@link InvalidTaskSpecException} carrying every
 * error found.
 */
public final class TaskSpecs {
  private TaskSpecs() {}

  /**
   * Reads, resolves (input paths against the file's directory) and validates the spec in {@code
   * file}: YAML, or JSON when the name ends in {@code .json}.
   *
   * @throws InvalidTaskSpecException naming the file, with every error
   */
  public static TaskSpec read(Path file) {
    try {
      return TaskSpecReader.read(file);
    } catch (TaskSpecException e) {
      throw new InvalidTaskSpecException(file.toString(), e.errors(), e);
    }
  }

  /**
   * Parses and validates a spec written in YAML; relative input paths are resolved against {@code
   * baseDir}.
   *
   * @throws InvalidTaskSpecException with every error
   */
  public static TaskSpec parseYaml(String yaml, Path baseDir) {
    try {
      return TaskSpecReader.parse(yaml, false, baseDir);
    } catch (TaskSpecException e) {
      throw new InvalidTaskSpecException(null, e.errors(), e);
    }
  }

  /**
   * Returns {@code spec} when it can run.
   *
   * @throws InvalidTaskSpecException with every error otherwise
   */
  public static TaskSpec check(TaskSpec spec) {
    try {
      return TaskSpecValidator.check(spec);
    } catch (TaskSpecException e) {
      throw new InvalidTaskSpecException(null, e.errors(), e);
    }
  }
}
