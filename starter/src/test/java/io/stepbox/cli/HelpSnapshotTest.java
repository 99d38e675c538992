package io.stepbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The usage help of every command, compared with a golden file under {@code
 * src/test/resources/help/} named by the command's path ({@code stepbox.txt}, {@code
 * session-exec.txt}). After a deliberate change to the help, regenerate the files with {@code
 * ./mvnw -pl starter -am test -Dtest=HelpSnapshotTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dstepbox.help.update=true} and review the diff.
 */
class HelpSnapshotTest {
  private static final String UPDATE = "stepbox.help.update";
  private static final String UPDATE_HINT =
      "; if the change is meant, regenerate with ./mvnw -pl starter -am test"
          + " -Dtest=HelpSnapshotTest -Dsurefire.failIfNoSpecifiedTests=false -D"
          + UPDATE
          + "=true and review the diff";

  /** picocli reads the width from this property too; the help must not depend on it. */
  private static final String PICOCLI_WIDTH = "picocli.usage.width";

  private static String savedWidth;

  @BeforeAll
  static void fixTheWidth() {
    savedWidth = System.clearProperty(PICOCLI_WIDTH);
  }

  @AfterAll
  static void restoreTheWidth() {
    if (savedWidth != null) {
      System.setProperty(PICOCLI_WIDTH, savedWidth);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCommandsHelpMatchesItsGoldenFile() {
    boolean update = Boolean.getBoolean(UPDATE);
    return helpByFile().entrySet().stream()
        .map(
            help ->
                DynamicTest.dynamicTest(
                    help.getKey(), () -> check(golden().resolve(help.getKey()), help.getValue(), update)));
  }

  @Test
  void everyGoldenFileBelongsToACommand() throws IOException {
    Set<String> files;
    try (Stream<Path> listing = Files.list(golden())) {
      files =
          listing
              .map(path -> path.getFileName().toString())
              .collect(Collectors.toCollection(TreeSet::new));
    }
    files.removeAll(helpByFile().keySet());
    if (!files.isEmpty() && Boolean.getBoolean(UPDATE)) {
      files.forEach(name -> delete(golden().resolve(name)));
      return;
    }
    assertThat(files)
        .as("golden files in %s of commands that no longer exist: delete them%s", golden(), UPDATE_HINT)
        .isEmpty();
  }

  private static void check(Path file, String actual, boolean update) throws IOException {
    if (update) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("no golden help file " + file + UPDATE_HINT);
    }
    assertThat(actual)
        .as("help differs from " + file + UPDATE_HINT)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Golden file name to usage help, for every command except picocli's {@code help}. */
  private static Map<String, String> helpByFile() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream discard = new PrintStream(sink, true, StandardCharsets.UTF_8);
    try (Cli cli = new Cli(StepboxConfig.from(Map.of()), System.in, discard, discard)) {
      Map<String, String> help = new LinkedHashMap<>();
      collect(Main.commandLine(cli), "", help);
      return help;
    }
  }

  /** Adds the help of {@code command} and its subcommands; {@code path} is "" for the root. */
  private static void collect(CommandLine command, String path, Map<String, String> help) {
    help.put((path.isEmpty() ? command.getCommandName() : path) + ".txt", usage(command));
    command.getSubcommands().values().stream()
        .filter(sub -> sub.getParent() == command && !sub.getCommandName().equals("help"))
        .forEach(
            sub ->
                collect(
                    sub,
                    path.isEmpty() ? sub.getCommandName() : path + "-" + sub.getCommandName(),
                    help));
  }

  private static String usage(CommandLine command) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    command.usage(new PrintStream(text, true, StandardCharsets.UTF_8), StepboxCommand.plain());
    return text.toString(StandardCharsets.UTF_8);
  }

  /** The source directory, not the copy on the class path: the update writes where git sees it. */
  private static Path golden() {
    return Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "help");
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
