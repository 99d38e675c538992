package io.stepbox.cli.snapshot;

import io.stepbox.cli.TaskExit;
import io.stepbox.cli.Cli;
import io.stepbox.cli.UsageException;
import io.stepbox.snapshot.GarbageCollector;
import io.stepbox.snapshot.Manifest;
import io.stepbox.workflows.Units;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


/** {@code stepbox snapshot ls|show|verify|gc|export|rm}: the snapshots in the blob store. */
@Command(
    name = "snapshot",
    description = "list, show, verify, export, gc snapshots",
    footer = {
      "Snapshots live in STEPBOX_BLOB_URL (default: file://<STEPBOX_DATA_DIR>/blobs). Make one with:"
          + " stepbox sandbox snapshot SANDBOX; restore with: stepbox sandbox create --from-snapshot"
          + " ID"
    })
public final class SnapshotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final Duration DEFAULT_GRACE = Duration.ofHours(24);

  /** --grace: a duration, {@code 0} (no grace at all), or the default. */
  private static Duration grace(String text) {
    if (text == null) {
      return DEFAULT_GRACE;
    }
    if (text.matches("0+[smhd]?")) {
      return Duration.ZERO;
    }
    try {
      return Units.parseDuration("--grace", text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private final Cli cli;

  SnapshotCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.out());
    return TaskExit.USAGE;
  }

  @Command(name = "ls", description = "every snapshot, oldest first")
  int list(@Option(names = "--json", description = "a JSON list") boolean json) {
    List<Manifest> all = cli.snapshots().list();
    if (json) {
      cli.printJson(all.stream().map(SnapshotCommand::summary).toList());
      return 0;
    }
    cli.out().printf(
        "%-28s %-22s %-24s %8s %10s %s%n",
        "ID", "CREATED", "IMAGE", "ENTRIES", "SIZE", "TASK/STEP");
    for (Manifest m : all) {
      cli.out().printf(
          "%-28s %-22s %-24s %8d %10s %s%n",
          m.id(),
          m.createdAt().substring(0, Math.min(19, m.createdAt().length())),
          m.image(),
          m.fileCount(),
          Units.formatBytes(m.tarBytes()),
          (m.taskId() == null ? "-" : m.taskId()) + "/" + (m.stepId() == null ? "-" : m.stepId()));
    }
    return 0;
  }

  private static Map<String, Object> summary(Manifest m) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", m.id());
    s.put("createdAt", m.createdAt());
    s.put("image", m.image());
    s.put("taskId", m.taskId());
    s.put("stepId", m.stepId());
    s.put("fileCount", m.fileCount());
    s.put("tarBytes", m.tarBytes());
    s.put("uploadedBytes", m.uploadedBytes());
    s.put("chunks", m.chunks().size());
    s.put("deletions", m.deletions().size());
    return s;
  }

  @Command(name = "show", description = "its manifest: origin, sizes, deletions")
  int show(
      @Parameters(paramLabel = "ID", description = "the snapshot id") String id,
      @Option(names = "--json", description = "the manifest as JSON") boolean json) {
    Manifest m = cli.snapshots().manifest(id);
    if (json) {
      cli.printJson(m);
      return 0;
    }
    summary(m).forEach((k, v) -> cli.out().printf("%-14s %s%n", k, v));
    cli.out().printf("%-14s %s%n", "imageId", m.imageId());
    m.deletions().forEach(d -> cli.out().println("deleted        " + d));
    m.fifos().forEach(f -> cli.out().println("fifo           " + f.path()));
    return 0;
  }

  @Command(
      name = "verify",
      description = "read and hash-check every chunk; exit 1 on any problem")
  int verify(@Parameters(paramLabel = "ID", description = "the snapshot id") String id) {
    Manifest m = cli.snapshots().manifest(id);
    List<String> problems = cli.snapshots().verify(id);
    problems.forEach(p -> cli.out().println("problem: " + p));
    if (problems.isEmpty()) {
      cli.out().printf(
          "ok: %s, %d chunks, %s checked%n",
          id, m.chunks().size(), Units.formatBytes(m.tarBytes()));
      return 0;
    }
    cli.err().printf("stepbox: snapshot %s is damaged: %d problem(s)%n", id, problems.size());
    return 1;
  }

  @Command(name = "gc", description = "remove chunks no snapshot uses, older than --grace (24h)")
  int gc(
      @Option(names = "--grace", paramLabel = "D", description = "keep chunks younger than D (24h)")
          String graceText,
      @Option(names = "--root", paramLabel = "ID", description = "keep this snapshot's chunks too")
          List<String> roots,
      @Option(names = "--dry-run", description = "say what would be removed") boolean dry) {
    Duration grace = grace(graceText);
    if (grace.compareTo(Duration.ofHours(2)) < 0) {
      cli.err().println(
          "stepbox: warning: a grace under 2h can sweep chunks of snapshots being written right"
              + " now (reused chunks are refreshed after 1h); use it only when nothing is running");
    }
    GarbageCollector.Report r =
        cli.snapshots().gc(grace, roots == null ? List.of() : roots, dry);
    cli.out().printf(
        "%s %d chunk(s), %s; kept %d referenced by %d snapshot(s) and %d younger than %s%n",
        dry ? "would remove" : "removed",
        r.chunksRemoved(),
        Units.formatBytes(r.bytesFreed()),
        r.chunksKept(),
        r.manifests(),
        r.chunksYoung(),
        Units.formatDuration(grace));
    return 0;
  }

  @Command(name = "export", description = "the snapshot's diff as a tar stream")
  int export(
      @Parameters(paramLabel = "ID", description = "the snapshot id") String id,
      @Parameters(paramLabel = "FILE.tar|-", description = "the file to write (or - for stdout)")
          String target) {
    try (InputStream in = cli.snapshots().open(id)) {
      if (target.equals("-")) {
        in.transferTo(cli.out());
        cli.out().flush();
        return 0;
      }
      Path file = Path.of(target).toAbsolutePath();
      Path tmp = Files.createTempFile(file.getParent(), ".stepbox-export-", ".tar");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      cli.err().println("wrote " + file + " (" + Units.formatBytes(Files.size(file)) + ")");
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("export " + id + " to " + target + ": " + e.getMessage(), e);
    }
  }

  @Command(name = "rm", description = "forget snapshots (gc frees their chunks)")
  int remove(
      @Parameters(arity = "1..*", paramLabel = "ID", description = "the snapshot ids")
          List<String> ids) {
    for (String id : ids) {
      cli.snapshots().delete(id);
      cli.out().println(id);
    }
    return 0;
  }
}
