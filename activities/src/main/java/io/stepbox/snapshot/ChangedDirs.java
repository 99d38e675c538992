package io.stepbox.snapshot;

import io.stepbox.sandbox.SandboxLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Directories of a sandbox's layer created or modified since the sandbox started. */
final class ChangedDirs {
  private ChangedDirs() {}

  static List<String> since(SandboxLayer layer) {
    if (!layer.running()) {
      return List.of();
    }
    long since = layer.startedAt().getEpochSecond() - 2;
    try {
      Process p =
          new ProcessBuilder(
                  "find",
                  layer.upperDir().toString(),
                  "-type",
                  "d",
                  "-newermt",
                  "@" + since,
                  "-printf",
                  "/%P\\0")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (p.waitFor() != 0) {
        throw SnapshotException.layer(
            "listing changed directories of " + layer.upperDir() + " failed");
      }
      List<String> dirs = new ArrayList<>();
      for (String d : new String(out, StandardCharsets.UTF_8).split("\0")) {
        if (!d.isEmpty() && layer.mountTargets().stream().noneMatch(d::startsWith)) {
          dirs.add(d);
        }
      }
      return dirs;
    } catch (IOException e) {
      throw SnapshotException.layer("cannot run find on the host: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SnapshotException.interrupted("interrupted", e);
    }
  }
}
