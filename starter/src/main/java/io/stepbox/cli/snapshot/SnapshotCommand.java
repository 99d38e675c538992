package io.stepbox.cli.snapshot;

import io.stepbox.cli.Args;
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
import java.util.Set;


/** {@code stepbox snapshot ls|show|verify|gc|export|rm}: the snapshots in the blob store. */
public final class SnapshotCommand {
  static final String HELP =
      """
      usage: stepbox snapshot ls [--json]                  every snapshot, oldest first
             stepbox snapshot show ID [--json]             its manifest: origin, sizes, deletions
             stepbox snapshot verify ID                    read and hash-check every chunk; exit 1 on any problem
             stepbox snapshot gc [--grace D] [--root ID]... [--dry-run]
                                                           remove chunks no snapshot uses, older than D (24h)
             stepbox snapshot export ID FILE.tar|-         the snapshot's diff as a tar stream
             stepbox snapshot rm ID...                     forget snapshots (gc frees their chunks)
      Snapshots live in STEPBOX_BLOB_URL (default: file://<STEPBOX_DATA_DIR>/blobs).
      Make one with: stepbox sandbox snapshot SANDBOX; restore with: stepbox sandbox create --from-snapshot ID""";

  static final Duration DEFAULT_GRACE = Duration.ofHours(24);

  private final Cli cli;

  public SnapshotCommand(Cli cli) {
    this.cli = cli;
  }

  public int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      cli.out().println(HELP);
      return argv.isEmpty() ? 2 : 0;
    }
    List<String> rest = argv.subList(1, argv.size());
    return switch (argv.get(0)) {
      case "ls" -> list(Args.parse("snapshot ls", rest, Set.of(), Set.of("json")));
      case "show" -> show(Args.parse("snapshot show", rest, Set.of(), Set.of("json")));
      case "verify" -> verify(Args.parse("snapshot verify", rest, Set.of(), Set.of()));
      case "gc" -> gc(Args.parse("snapshot gc", rest, Set.of("grace", "root"), Set.of("dry-run")));
      case "export" -> export(Args.parse("snapshot export", rest, Set.of(), Set.of()));
      case "rm" -> remove(Args.parse("snapshot rm", rest, Set.of(), Set.of()));
      default ->
          throw new UsageException(
              "unknown snapshot command '" + argv.get(0) + "'; stepbox snapshot --help");
    };
  }

  private int list(Args args) {
    List<Manifest> all = cli.snapshots().list();
    if (args.flag("json")) {
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

  private int show(Args args) {
    Manifest m = cli.snapshots().manifest(args.positional(0, "the snapshot id"));
    if (args.flag("json")) {
      cli.printJson(m);
      return 0;
    }
    summary(m).forEach((k, v) -> cli.out().printf("%-14s %s%n", k, v));
    cli.out().printf("%-14s %s%n", "imageId", m.imageId());
    m.deletions().forEach(d -> cli.out().println("deleted        " + d));
    m.fifos().forEach(f -> cli.out().println("fifo           " + f.path()));
    return 0;
  }

  private int verify(Args args) {
    String id = args.positional(0, "the snapshot id");
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

  private int gc(Args args) {
    boolean none = args.get("grace").filter(g -> g.matches("0+[smhd]?")).isPresent();
    Duration grace = none ? Duration.ZERO : args.duration("grace").orElse(DEFAULT_GRACE);
    if (grace.compareTo(Duration.ofHours(2)) < 0) {
      cli.err().println(
          "stepbox: warning: a grace under 2h can sweep chunks of snapshots being written right"
              + " now (reused chunks are refreshed after 1h); use it only when nothing is running");
    }
    boolean dry = args.flag("dry-run");
    GarbageCollector.Report r = cli.snapshots().gc(grace, args.all("root"), dry);
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

  private int export(Args args) {
    String id = args.positional(0, "the snapshot id");
    String target = args.positional(1, "the file to write (or - for stdout)");
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

  private int remove(Args args) {
    if (args.positionals().isEmpty()) {
      throw new UsageException("usage: stepbox snapshot rm ID...");
    }
    for (String id : args.positionals()) {
      cli.snapshots().delete(id);
      cli.out().println(id);
    }
    return 0;
  }
}
