package io.stepbox.cli;

import io.stepbox.sandbox.EngineInfo;
import io.stepbox.sandbox.ExecRequest;
import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxException;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.workflows.Images;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepbox doctor [--json]}: checks what stepbox needs on this host, one line per check with
 * a fix. Exits 0 only when every required check holds; warnings do not fail it.
 */
@Command(
    name = "doctor",
    description = "check the host, one line per check with a fix",
    footer = "Exits 0 only when every required check holds; warnings do not fail it.")
final class DoctorCommand implements Callable<Integer> {
  /** One check's verdict. */
  record Check(String name, String status, String detail, String fix) {
    static Check ok(String name, String detail) {
      return new Check(name, "ok", detail, null);
    }
  }

  @Option(names = "--json", description = "print {ok, checks: [{name, status, detail, fix}]}")
  boolean json;

  private final Cli cli;

  DoctorCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    List<Check> checks = new ArrayList<>();
    checks.add(java());
    EngineInfo engine = engine(checks);
    checks.addAll(engineChecks(engine));
    checks.add(blobStore());
    checks.add(temporal());
    checks.add(webUi());
    checks.add(EgressCheck.run());
    boolean ok = checks.stream().noneMatch(c -> c.status().equals("fail"));
    print(checks, ok);
    return ok ? 0 : 1;
  }

  /** The engine's facts, with the docker check added to {@code checks}; null when unreachable. */
  private EngineInfo engine(List<Check> checks) {
    try {
      EngineInfo engine = cli.runtime().engineInfo();
      checks.add(
          Check.ok(
              "docker",
              "engine "
                  + engine.version()
                  + " at "
                  + cli.config().dockerHost()
                  + ", storage "
                  + engine.storageDriver()
                  + " on "
                  + engine.backingFilesystem()));
      return engine;
    } catch (SandboxException e) {
      checks.add(new Check("docker", "fail", e.getMessage(), "./stepbox setup"));
      return null;
    }
  }

  /** runsc, gVisor, the images and disk limits: skipped when the engine is unreachable. */
  private List<Check> engineChecks(EngineInfo engine) {
    List<Check> checks = new ArrayList<>();
    checks.add(engine == null ? skipped("runsc") : runsc(engine));
    checks.add(engine == null ? skipped("gvisor") : guarded("gvisor", this::gvisorProbe));
    for (String image : Images.ALL) {
      checks.add(engine == null ? skipped("image " + image) : image(image));
    }
    if (engine != null && !engine.supportsDiskLimits()) {
      checks.add(
          new Check(
              "disk-limits",
              "warn",
              "unavailable: "
                  + engine.storageDriver()
                  + " on "
                  + engine.backingFilesystem()
                  + " cannot limit a sandbox's disk",
              "run dockerd's data root on xfs mounted with pquota, or leave --disk unset"));
    }
    return checks;
  }

  private Check image(String image) {
    return guarded(
        "image " + image,
        () ->
            cli.runtime().hasImage(image)
                ? Check.ok("image " + image, "present")
                : new Check("image " + image, "fail", "missing", "./stepbox setup"));
  }

  private void print(List<Check> checks, boolean ok) {
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("ok", ok);
      report.put("checks", checks);
      cli.printJson(report);
      return;
    }
    for (Check c : checks) {
      cli.out().printf(
          "%-5s %-32s %s%s%n",
          c.status(), c.name(), c.detail(), c.fix() == null ? "" : "\n      fix: " + c.fix());
    }
    cli.out().println(ok ? "stepbox is ready" : "stepbox is not ready: fix the checks marked fail");
  }

  private static Check java() {
    int feature = Runtime.version().feature();
    return feature >= 17
        ? Check.ok("java", "Java " + Runtime.version())
        : new Check("java", "fail", "Java " + feature + " is too old", "install Java 17 or newer");
  }

  private Check runsc(EngineInfo engine) {
    String path = engine.runtimes().get("runsc");
    return path == null
        ? new Check(
            "runsc",
            "fail",
            "the runsc runtime is not registered with dockerd "
                + "(registered: "
                + engine.runtimes().keySet()
                + ")",
            "./stepbox setup")
        : Check.ok("runsc", runscVersion(path) + " " + cli.runtime().runtimeArgs("runsc") + " at " + path);
  }

  /** What {@code runsc --version} says, when the binary is on this host. */
  private static String runscVersion(String path) {
    try {
      Process p = new ProcessBuilder(path, "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      return p.waitFor() == 0 && first.startsWith("runsc version ")
          ? first.substring("runsc version ".length())
          : "version unknown";
    } catch (IOException e) {
      return "version unknown (not on this host)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "version unknown";
    }
  }

  /** Starts a probe sandbox and checks that its kernel is gVisor's, not the host's. */
  private Check gvisorProbe() {
    Sandbox probe =
        cli.runtime()
            .create(
                SandboxSpec.newBuilder(Images.DEFAULT).setLifetime(Duration.ofMinutes(2)).build());
    try {
      String dmesg = cli.runtime().exec(probe, ExecRequest.shell("dmesg | head -3")).stdout();
      return dmesg.contains("gVisor")
          ? Check.ok("gvisor", "a probe sandbox runs on gVisor's kernel")
          : new Check(
              "gvisor",
              "fail",
              "the probe sandbox's dmesg does not show gVisor: " + dmesg.strip(),
              "./stepbox setup (runsc must be the registered runtime)");
    } finally {
      cli.runtime().destroy(probe);
    }
  }

  private Check blobStore() {
    String url = cli.config().blobUrl();
    if (!url.startsWith("file:")) {
      return new Check(
          "blob-store", "warn", url + ": S3 stores are checked once snapshots land", null);
    }
    Path dir = Path.of(URI.create(url));
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
      Files.delete(probe);
      return Check.ok("blob-store", "writable: " + dir);
    } catch (IOException | RuntimeException e) {
      return new Check(
          "blob-store",
          "fail",
          dir + " is not writable: " + e.getMessage(),
          "set STEPBOX_BLOB_URL to a writable file:// directory");
    }
  }

  private Check temporal() {
    String address = cli.config().temporalAddress();
    int colon = address.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          1000);
      return Check.ok("temporal", "reachable at " + address);
    } catch (IOException | RuntimeException e) {
      return new Check(
          "temporal",
          "warn",
          "not reachable at " + address + " (needed once durable tasks land)",
          "start one: temporal server start-dev");
    }
  }

  private Check webUi() {
    WebUi ui = WebUi.find(cli.config());
    return ui.base()
        .map(url -> Check.ok("temporal-ui", "the Temporal Web UI at " + url))
        .orElseGet(
            () ->
                new Check(
                    "temporal-ui",
                    "warn",
                    "no Web UI found: " + ui.whyNone().orElse(""),
                    "set STEPBOX_TEMPORAL_UI=http://HOST:PORT (none to skip the check)"));
  }

  private static Check skipped(String name) {
    return new Check(
        name, "fail", "skipped: the Docker engine is not reachable", "./stepbox setup");
  }

  private static Check guarded(String name, Supplier<Check> check) {
    try {
      return check.get();
    } catch (SandboxException e) {
      return new Check(name, "fail", e.getMessage(), "./stepbox setup");
    }
  }
}
