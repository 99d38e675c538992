package io.stepbox.activities;

import io.stepbox.sandbox.Sandbox;
import io.stepbox.sandbox.SandboxException;
import io.stepbox.sandbox.SandboxRuntime;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.snapshot.SnapshotEngine;
import io.stepbox.store.BlobStore;
import io.stepbox.workflows.step.ExportRequest;
import io.stepbox.workflows.step.ExportResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Copies a task's export paths out of its final snapshot into one tar in the blob store, under
 * {@code exports/<task>/<run>/exports.tar}, each path at its absolute place (without the leading
 * /).
 */
final class Exporter {
  private final SandboxRuntime runtime;
  private final SnapshotEngine snapshots;
  private final BlobStore blobs;

  Exporter(SandboxRuntime runtime, SnapshotEngine snapshots, BlobStore blobs) {
    this.runtime = runtime;
    this.snapshots = snapshots;
    this.blobs = blobs;
  }

  ExportResult export(ExportRequest req, String runId) {
    Sandbox sandbox =
        snapshots.restore(
            req.snapshotId(), SandboxSpec.newBuilder(req.image()).setTaskId(req.taskId()).build());
    Path tmp = null;
    try {
      tmp = Files.createTempFile("stepbox-export-", ".tar");
      List<String> missing = new ArrayList<>();
      try (OutputStream file = Files.newOutputStream(tmp);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String path : req.paths()) {
          if (!copy(sandbox, path, tar)) {
            missing.add(path);
          }
        }
        tar.finish();
      }
      String key =
          "exports/"
              + StepActivitiesImpl.safe(req.taskId())
              + "/"
              + StepActivitiesImpl.safe(runId)
              + "/exports.tar";
      long size = Files.size(tmp);
      try (InputStream in = Files.newInputStream(tmp)) {
        blobs.put(key, in, size);
      }
      return new ExportResult(key, size, missing);
    } catch (IOException e) {
      throw new UncheckedIOException("export: " + e.getMessage(), e);
    } finally {
      snapshots.forget(sandbox);
      runtime.destroy(sandbox);
      if (tmp != null) {
        tmp.toFile().delete();
      }
    }
  }

  /** Appends one path's tree; false when the path does not exist in the snapshot. */
  private boolean copy(Sandbox sandbox, String path, TarArchiveOutputStream out)
      throws IOException {
    String parent = path.replaceAll("/+$", "");
    parent = parent.substring(0, parent.lastIndexOf('/') + 1).replaceFirst("^/", "");
    try (InputStream raw = runtime.copyOut(sandbox, path);
        TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        e.setName(parent + e.getName());
        if (e.isLink()) {
          e.setLinkName(parent + e.getLinkName());
        }
        out.putArchiveEntry(e);
        if (e.isFile()) {
          in.transferTo(out);
        }
        out.closeArchiveEntry();
      }
      return true;
    } catch (SandboxException e) {
      if (e.reason() == SandboxException.Reason.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
