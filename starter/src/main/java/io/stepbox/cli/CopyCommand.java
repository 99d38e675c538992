package io.stepbox.cli;

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
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code stepbox sandbox cp}: copies between a sandbox and this host, like {@code docker cp}. A
 * local path is packed or unpacked here; {@code -} stands for a tar stream on stdin or stdout.
 */
final class CopyCommand {
  private final Cli cli;

  CopyCommand(Cli cli) {
    this.cli = cli;
  }

  int run(List<String> argv) {
    Args args = Args.parse("sandbox cp", argv, Set.of(), Set.of());
    String from = args.positional(0, "the source (ID:PATH, a local path or -)");
    String to = args.positional(1, "the destination (ID:DIR, a local directory or -)");
    if (isRemote(from) == isRemote(to)) {
      throw new UsageException("sandbox cp copies between a sandbox and this host: exactly one of "
          + "'" + from + "' and '" + to + "' must be ID:PATH");
    }
    try {
      if (isRemote(from)) {
        Sandbox sandbox = cli.runtime().find(from.substring(0, from.indexOf(':')));
        try (InputStream tar = cli.runtime().copyOut(sandbox, from.substring(from.indexOf(':') + 1))) {
          if (to.equals("-")) {
            tar.transferTo(cli.out);
            cli.out.flush();
          } else {
            extract(tar, Path.of(to));
          }
        }
      } else {
        Sandbox sandbox = cli.runtime().find(to.substring(0, to.indexOf(':')));
        String dir = to.substring(to.indexOf(':') + 1);
        if (from.equals("-")) {
          cli.runtime().copyIn(sandbox, dir, cli.in);
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
    Thread packer = new Thread(() -> {
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(pipe))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Path base = local.toAbsolutePath().getParent();
        try (Stream<Path> walk = Files.walk(local)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            TarArchiveEntry e = new TarArchiveEntry(p.toFile(), base.relativize(p.toAbsolutePath()).toString());
            tar.putArchiveEntry(e);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.copy(p, tar);
            }
            tar.closeArchiveEntry();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "stepbox-cp-pack");
    packer.start();
    try {
      cli.runtime().copyIn(sandbox, dir, in);
    } finally {
      in.close();
    }
  }

  private static void extract(InputStream stream, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("archive entry '" + e.getName() + "' points outside " + dir);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

}
