package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static Args parse(String... argv) {
    return Args.parse(
        "sandbox run", List.of(argv), Set.of("image", "env", "timeout", "memory"), Set.of("json"));
  }

  @Test
  void readsOptionsFlagsPositionalsAndTheCommand() {
    Args a =
        parse(
            "ID",
            "--image",
            "i:1",
            "--env=A=1",
            "--env",
            "B=2",
            "--json",
            "--timeout",
            "30s",
            "--memory",
            "512m",
            "--",
            "sh",
            "-c",
            "echo --image");
    assertThat(a.positionals()).containsExactly("ID");
    assertThat(a.get("image")).contains("i:1");
    assertThat(a.all("env")).containsExactly("A=1", "B=2");
    assertThat(a.flag("json")).isTrue();
    assertThat(a.duration("timeout")).contains(Duration.ofSeconds(30));
    assertThat(a.bytes("memory")).contains(512L << 20);
    assertThat(a.commandLine()).containsExactly("sh", "-c", "echo --image");
  }

  @Test
  void badInputNamesTheOptionAndTheFix() {
    assertThatThrownBy(() -> parse("--nope"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option --nope")
        .hasMessageContaining("--help");
    assertThatThrownBy(() -> parse("--image")).hasMessageContaining("--image needs a value");
    assertThatThrownBy(() -> parse("--timeout", "soon").duration("timeout"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--timeout: 'soon'");
    assertThatThrownBy(() -> parse().commandLine()).hasMessageContaining("after --");
    assertThatThrownBy(() -> parse().positional(0, "the sandbox id"))
        .hasMessageContaining("missing the sandbox id");
  }

  @Test
  void aCountDefaultsWhenAbsentAndMustBeAtLeastOne() {
    Args runs = Args.parse("bench step", List.of("--runs", "5"), Set.of("runs"), Set.of());
    Args none = Args.parse("bench step", List.of(), Set.of("runs"), Set.of());
    Args zero = Args.parse("bench step", List.of("--runs=0"), Set.of("runs"), Set.of());

    assertThat(runs.atLeastOne("runs", 3)).isEqualTo(5);
    assertThat(none.atLeastOne("runs", 3)).isEqualTo(3);
    assertThatThrownBy(() -> zero.atLeastOne("runs", 3))
        .isInstanceOf(UsageException.class)
        .hasMessage("--runs: must be at least 1");
  }
}
