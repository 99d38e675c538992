package io.stepbox.cli.sandbox;

import io.stepbox.cli.Cli;
import io.stepbox.cli.UsageException;
import io.stepbox.sandbox.Sandbox;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stepbox sandbox cp}: copies between a sandbox and this host, like {@code docker cp}. A
 * local path is packed or unpacked here; {@code -} stands for a tar stream on stdin or stdout.
 */
@Command(
    name = "cp",
    description = "copy between a sandbox and this host (- is a tar stream)",
    customSynopsis = "stepbox sandbox cp ID:PATH LOCAL|-    or    stepbox sandbox cp LOCAL|- ID:DIR")
final class CopyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FROM", description = "the source (ID:PATH, a local path or -)")
  String from;

  @Parameters(index = "1", paramLabel = "TO", description = "the destination (ID:DIR, a local directory or -)")
  String to;

  private final Cli cli;

  CopyCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (isRemote(from) == isRemote(to)) {
      throw new UsageException(
          "sandbox cp copies between a sandbox and this host: exactly one of "
              + "'"
              + from
              + "' and '"
              + to
              + "' must be ID:PATH");
    }
    try {
      if (isRemote(from)) {
        Sandbox sandbox = cli.runtime().find(from.substring(0, from.indexOf(':')));
        try (InputStream tar =
            cli.runtime().copyOut(sandbox, from.substring(from.indexOf(':') + 1))) {
          if (to.equals("-")) {
            tar.transferTo(cli.out());
            cli.out().flush();
          } else {
            extract(tar, Path.of(to));
          }
        }
      } else {
        Sandbox sandbox = cli.runtime().find(to.substring(0, to.indexOf(':')));
        String dir = to.substring(to.indexOf(':') + 1);
        if (from.equals("-")) {
          cli.runtime().copyIn(sandbox, dir, cli.in());
        } else {
          copyInPath(sandbox, Path.of(from), dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sandbox cp: " + e.getMessage(), e);
    }
    return 0;
  }

  private static boolean isRemote(String arg) {
    int colon = arg.indexOf(':');
    return colon > 0 && !arg.startsWith("/") && !arg.startsWith(".");
  }

  /** Packs {@code local} (under its own name) on a thread while the engine reads the stream. */
  private void copyInPath(Sandbox sandbox, Path local, String dir) throws IOException {
    if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException("sandbox cp: '" + local + "' does not exist");
    }
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream pipe = new PipedOutputStream(in);
    IOException[] packFailure = new IOException[1];
    Thread packer =
        new Thread(
            () -> {
              try (TarArchiveOutputStream tar =
                  new TarArchiveOutputStream(new BufferedOutputStream(pipe))) {
                pack(local, tar);
              } catch (IOException e) {
                packFailure[0] = e;
              }
            },
            "stepbox-cp-pack");
    packer.start();
    try {
      cli.runtime().copyIn(sandbox, dir, in);
    } finally {
      in.close();
      try {
        packer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (packFailure[0] != null) {
      throw packFailure[0];
    }
  }

  /** Tars {@code local} without following symlinks: a link is stored as a link. */
  private static void pack(Path local, TarArchiveOutputStream tar) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    Path base = local.toAbsolutePath().getParent();
    try (Stream<Path> walk = Files.walk(local)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = base.relativize(p.toAbsolutePath()).toString();
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
          e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
        } else {
          e = new TarArchiveEntry(p, name, LinkOption.NOFOLLOW_LINKS);
        }
        tar.putArchiveEntry(e);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  /**
   * Unpacks a sandbox's tar under {@code dir}. Nothing may land outside it: each entry's parent
   * must resolve (symlinks followed) inside {@code dir}, and links pointing out of it (absolute, or
   * climbing with ..) are refused, since the sandbox chose them.
   */
  private static void extract(InputStream stream, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toRealPath();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("archive entry '" + e.getName() + "' points outside " + dir);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        if (!target.getParent().toRealPath().startsWith(root)) {
          throw new IOException(
              "archive entry '"
                  + e.getName()
                  + "' would be written through a symlink outside "
                  + dir);
        }
        if (e.isSymbolicLink()) {
          link(e, target, root, dir);
        } else if (e.isFile()) {
          Files.deleteIfExists(target); // never write through an existing symlink
          Files.copy(tar, target);
        }
      }
    }
  }

  /** Makes the symlink {@code e} at {@code target}, unless it points out of {@code root}. */
  private static void link(TarArchiveEntry e, Path target, Path root, Path dir)
      throws IOException {
    Path link = Path.of(e.getLinkName());
    if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(root)) {
      throw new IOException(
          "archive entry '"
              + e.getName()
              + "' is a symlink to '"
              + e.getLinkName()
              + "', outside "
              + dir
              + "; copy its target instead");
    }
    Files.deleteIfExists(target);
    Files.createSymbolicLink(target, link);
  }
}
