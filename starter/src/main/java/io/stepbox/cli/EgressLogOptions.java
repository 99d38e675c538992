package io.stepbox.cli;

import picocli.CommandLine.Option;

/**
 * {@code --egress [--json]} of {@code logs} and {@code session logs}: the egress log, a line per
 * request through the egress proxy, instead of an output stream.
 */
public final class EgressLogOptions {
  @Option(names = "--egress", description = "the egress log instead of the output")
  private boolean egress;

  @Option(names = "--json", description = "with --egress: JSON lines, as stored")
  private boolean json;

  /** Whether the egress log is asked for. */
  public boolean egress() {
    return egress;
  }

  /** Whether it is to be printed as stored. */
  public boolean json() {
    return json;
  }

  /**
   * Refuses {@code --egress} with {@code --stderr}, and {@code --json} without {@code --egress}.
   *
   * @throws UsageException naming the clash
   */
  public void check(boolean stderr) {
    if (egress && stderr) {
      throw new UsageException(
          "--egress and --stderr cannot be combined: --egress prints the egress log, not an"
              + " output stream");
    }
    if (json && !egress) {
      throw new UsageException("--json goes with --egress: outputs are printed as they were");
    }
  }
}
