package io.stepbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs from files, YAML text and objects; every error in one typed exception. */
class TaskSpecsTest {
  @TempDir Path tmp;

  @Test
  void anInvalidObjectCarriesEveryError() {
    TaskSpec spec =
        new TaskSpec(
            "bad",
            null,
            null,
            TaskSpec.NO_NETWORK,
            null,
            null,
            null,
            null,
            List.of(StepSpec.of("a", "echo a"), StepSpec.of("a", "")),
            List.of());
    InvalidTaskSpecException e =
        catchThrowableOfType(InvalidTaskSpecException.class, () -> TaskSpecs.check(spec));
    assertThat(e.errors())
        .extracting(SpecError::path)
        .contains("image", "steps[1].id", "steps[1].run");
    assertThat(e.getMessage().lines()).first().isEqualTo("the task spec is not valid:");
    assertThat(e.getMessage().lines().skip(1))
        .hasSize(e.errors().size())
        .allMatch(l -> l.startsWith("  "));
  }

  @Test
  void aFileNamesItselfAndAValidSpecComesBackAsItIs() throws Exception {
    Path file = tmp.resolve("t.yaml");
    Files.writeString(file, "name: t\nsteps: [{id: a, run: ''}]\n");
    InvalidTaskSpecException e =
        catchThrowableOfType(InvalidTaskSpecException.class, () -> TaskSpecs.read(file));
    assertThat(e.getMessage()).startsWith(file + " is not a valid task spec:");
    assertThat(e.errors()).extracting(SpecError::path).containsExactly("image", "steps[0].run");

    TaskSpec ok = TaskSpecs.parseYaml("name: ok\nimage: i\nsteps: [{id: a, run: echo}]\n", tmp);
    assertThat(TaskSpecs.check(ok)).isSameAs(ok);
    assertThat(ok.steps()).extracting(StepSpec::run).containsExactly("echo");
  }
}
