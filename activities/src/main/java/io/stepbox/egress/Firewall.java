package io.stepbox.egress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Setup's firewall rules for the egress bridge, checked before the first proxy of a process
 * starts: without them a sandbox on the egress network would reach the host's other services,
 * so no egress sandbox starts (fail closed). Checked only as root, who can read them.
 */
final class Firewall {
  private static volatile boolean checked;

  private Firewall() {}

  static void require(EgressSettings settings) {
    if (checked || !SquidUser.root()) {
      return;
    }
    String bridge = settings.network();
    List<List<String>> rules =
        List.of(
            List.of("-C", "INPUT", "-i", bridge, "-j", "STEPBOX-EGRESS"),
            List.of(
                "-C", "DOCKER-USER", "-i", bridge, "-p", "tcp", "-j", "REJECT",
                "--reject-with", "tcp-reset"));
    for (List<String> rule : rules) {
      if (!holds(rule)) {
        throw new EgressException(
            "the firewall rules that fence the "
                + bridge
                + " bridge are missing (iptables "
                + String.join(" ", rule)
                + "); no sandbox gets egress without them: run ./stepbox setup",
            true);
      }
    }
    checked = true;
  }

  private static boolean holds(List<String> rule) {
    List<String> cmd = new ArrayList<>(List.of("iptables"));
    cmd.addAll(rule);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
