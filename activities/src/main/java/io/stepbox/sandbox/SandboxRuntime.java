package io.stepbox.sandbox;

import io.stepbox.workflows.egress.EgressRecord;
import java.io.InputStream;
import java.util.List;

/**
 * Starts, drives and ends sandboxes. Every method throws {@link SandboxException}: {@code
 * retryable()} tells an engine fault from a bad request. Implementations are thread-safe.
 */
public interface SandboxRuntime extends AutoCloseable {

  /**
   * Creates and starts a sandbox. Validates the spec first; a sandbox that fails to start is
   * removed before this throws, so a failed create leaves nothing behind.
   *
   * @throws SandboxException {@code INVALID_SPEC}, {@code IMAGE_NOT_FOUND} or {@code RUNTIME} for a
   *     bad spec, {@code ENGINE} when dockerd fails
   */
  Sandbox create(SandboxSpec spec);

  /**
   * Creates a sandbox, lets {@code preparer} fill its writable layer, then starts it. A sandbox
   * whose preparation or start fails is removed before this throws.
   */
  Sandbox create(SandboxSpec spec, LayerPreparer preparer);

  /**
   * Where the sandbox's filesystem changes live on the host, for snapshots.
   *
   * @throws SandboxException {@code NOT_FOUND} when the sandbox is gone, {@code INVALID_SPEC} when
   *     the engine's storage is not overlay2 or its data root is not readable from this process
   */
  SandboxLayer layer(Sandbox sandbox);

  /** The content id of a local image ({@code sha256:...}); {@code IMAGE_NOT_FOUND} when absent. */
  String imageId(String image);

  /**
   * Runs one command to its end and returns how it ended. A non-zero exit, a timeout and an OOM
   * kill are results, not exceptions. Output is streamed to {@code listener} as it comes and only
   * bounded tails are kept, so memory stays bounded whatever the command prints.
   *
   * @throws SandboxException {@code NOT_FOUND} or {@code GONE} when the sandbox is not running,
   *     {@code ENGINE} when dockerd fails
   */
  CommandResult exec(Sandbox sandbox, ExecRequest request, OutputListener listener);

  /** {@link #exec(Sandbox, ExecRequest, OutputListener)} without a listener. */
  default CommandResult exec(Sandbox sandbox, ExecRequest request) {
    return exec(sandbox, request, OutputListener.NONE);
  }

  /**
   * Brings the sandbox to rest after a command: stops every process the agent did not start itself,
   * however named and however they fork, and empties {@code /tmp} and {@code /dev/shm}, which
   * gVisor keeps in memory and no snapshot carries. Done by the agent, with nothing from the image.
   *
   * @throws SandboxException {@code GONE} when the sandbox is not running
   */
  void settle(Sandbox sandbox);

  /**
   * The fifos directly in {@code directories} and in the sandbox's working and home directories
   * (symlinks are not followed), found by the agent.
   */
  List<SandboxFifo> findFifos(Sandbox sandbox, List<String> directories);

  /** Makes {@code fifos} in the running sandbox with their mode, owner and mtime. */
  void makeFifos(Sandbox sandbox, List<SandboxFifo> fifos);

  /**
   * Extracts a tar stream into the sandbox under {@code directory}, which must exist. The stream is
   * read to its end but not closed.
   */
  void copyIn(Sandbox sandbox, String directory, InputStream tar);

  /**
   * Opens a tar stream of {@code path} in the sandbox (a file or a directory, which appears in the
   * archive under its own name). The caller closes the stream.
   */
  InputStream copyOut(Sandbox sandbox, String path);

  /**
   * What the sandbox's egress proxy allowed and denied since the last call, once the sandbox's
   * connections to it have ended; empty for a sandbox without egress.
   *
   * @throws SandboxException {@code ENGINE} (retryable) when the proxy died: nothing went out
   *     without it, but the audit is incomplete
   */
  default List<EgressRecord> egress(Sandbox sandbox) {
    return List.of();
  }

  /** Removes the sandbox and everything in it. Idempotent: a missing sandbox is not an error. */
  void destroy(Sandbox sandbox);

  /** Looks up a sandbox made by any stepbox process on this engine by id or unique id prefix. */
  Sandbox find(String idOrPrefix);

  /** Every stepbox sandbox on this engine, from any worker, running or not. */
  List<SandboxInfo> list();

  /** Releases the engine connection; sandboxes live on until destroyed or reaped. */
  @Override
  void close();
}
