package io.stepbox.cli;

import io.stepbox.egress.EgressException;
import io.stepbox.egress.EgressSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code doctor}'s egress check: Squid, openssl and setup's firewall rules for the egress network.
 * A warning, not a failure: sandboxes without egress need none of it.
 */
final class EgressCheck {
  private EgressCheck() {}

  static DoctorCommand.Check run() {
    EgressSettings settings;
    try {
      settings = EgressSettings.fromEnvironment();
    } catch (EgressException e) {
      return warn(e.getMessage(), "fix the STEPBOX_EGRESS_* setting it names");
    }
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(settings.squid())) {
      missing.add("Squid at " + settings.squid());
    }
    if (!Files.isExecutable(settings.certgen())) {
      missing.add("Squid's certificate helper at " + settings.certgen());
    }
    if (exit("openssl", "version") != 0) {
      missing.add("openssl");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && exit("iptables", "-C", "INPUT", "-i", settings.network(), "-j", "STEPBOX-EGRESS") != 0) {
      missing.add("the firewall rule fencing the " + settings.network() + " bridge");
    }
    if (!missing.isEmpty()) {
      return warn("missing: " + String.join(", ", missing), "./stepbox setup");
    }
    return DoctorCommand.Check.ok(
        "egress",
        "Squid at "
            + settings.squid()
            + ", proxies on the "
            + settings.network()
            + " network"
            + (root ? ", its firewall in place" : " (firewall not checked: not root)")
            + settings.hostsFile().map(h -> ", hosts map " + h).orElse(""));
  }

  private static DoctorCommand.Check warn(String detail, String fix) {
    return new DoctorCommand.Check("egress", "warn", detail, fix);
  }

  private static int exit(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
