package io.stepbox.cli.sandbox;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --env} and {@code --workdir}: what a command in a sandbox starts with. */
final class ProcessOptions {
  @Option(names = "--env", paramLabel = "K=V", description = "set a variable (repeatable)")
  List<String> env = new ArrayList<>();

  @Option(names = "--workdir", paramLabel = "D", description = "the working directory")
  String workdir;
}
