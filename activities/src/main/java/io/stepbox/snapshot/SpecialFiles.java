package io.stepbox.snapshot;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxException;
import io.stepbox.sandbox.SandboxFifo;
import io.stepbox.sandbox.SandboxLayer;
import io.stepbox.sandbox.SandboxRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds fifos that exist only inside gVisor. gVisor's gofer may not create them on the host, so its
 * kernel keeps them in memory where neither the host layer nor Docker sees them. The sandbox's agent
 * looks for them in the directories the host saw change since the sandbox started and in the
 * working and home directories, which a fifo may be made in without the host seeing any change.
 * They are recorded in the manifest and made again by the agent inside the restored sandbox: a fifo
 * put into the host layer would be refused by gVisor ("operation not permitted").
 */
final class SpecialFiles {
  /** Directory names up to this many bytes go in one request to the agent, more in several. */
  static final int ARGUMENT_BYTES = 64 << 10;

  private SpecialFiles() {}

  /**
   * The fifos in {@code changedDirs} and the working and home directories, or none when the sandbox
   * is not running.
   */
  static List<Manifest.Fifo> scan(
      SandboxRuntime runtime, Sandbox sandbox, SandboxLayer layer, List<String> changedDirs) {
    if (!layer.running()) {
      return List.of();
    }
    try {
      Map<String, Manifest.Fifo> fifos = new LinkedHashMap<>(); // the home directories come each time
      for (List<String> batch : batches(changedDirs)) {
        for (SandboxFifo f : runtime.findFifos(sandbox, batch)) {
          fifos.put(
              f.path(),
              new Manifest.Fifo(f.path(), f.mode(), f.uid(), f.gid(), f.mtime().toString()));
        }
      }
      return List.copyOf(fifos.values());
    } catch (SandboxException e) {
      throw SnapshotException.sandbox(
          "looking for fifos in sandbox " + sandbox.shortId() + " failed: " + e.getMessage(), e);
    }
  }

  /** {@code dirs} cut into runs of at most {@link #ARGUMENT_BYTES} of names; one run when empty. */
  static List<List<String>> batches(List<String> dirs) {
    List<List<String>> out = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    long bytes = 0;
    for (String d : dirs) {
      int n = d.getBytes(StandardCharsets.UTF_8).length + 3; // quotes and a comma in JSON
      if (!batch.isEmpty() && bytes + n > ARGUMENT_BYTES) {
        out.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(d);
      bytes += n;
    }
    out.add(batch);
    return out;
  }

  /** The end-of-archive blocks that close a tar stream. */
  static byte[] trailer() {
    return new byte[1024];
  }

  /** Makes {@code fifos} inside the running sandbox, with their mode, owner and mtime. */
  static void make(SandboxRuntime runtime, Sandbox sandbox, List<Manifest.Fifo> fifos) {
    try {
      runtime.makeFifos(
          sandbox,
          fifos.stream()
              .map(
                  f ->
                      new SandboxFifo(
                          f.path(), f.mode(), f.uid(), f.gid(), Instant.parse(f.mtime())))
              .toList());
    } catch (SandboxException e) {
      throw SnapshotException.sandbox(
          "making fifos in sandbox " + sandbox.shortId() + " failed: " + e.getMessage(), e);
    }
  }
}
