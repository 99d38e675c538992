package io.stepbox.sandbox;

/**
 * Receives a command's output while it runs, in the order the engine delivers it. Called from the
 * engine's reader thread: implementations must be quick and must not keep the array.
 */
@FunctionalInterface
public interface OutputListener {
  /** Discards everything. */
  OutputListener NONE = (stream, data, offset, length) -> {};

  /** Which stream a chunk came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  void onOutput(Stream stream, byte[] data, int offset, int length);
}
