package io.stepbox.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Makes the commands: one that takes a {@link Cli} gets this run's; others picocli's way. */
final class CliFactory implements CommandLine.IFactory {
  private final Cli cli;

  CliFactory(Cli cli) {
    this.cli = cli;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> withCli;
    try {
      withCli = type.getDeclaredConstructor(Cli.class);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(type);
    }
    withCli.setAccessible(true);
    return withCli.newInstance(cli);
  }
}
