package io.stepbox.sandbox;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The agent protocol's frames (docs/agent-protocol.md): magic {@code SBX}, a type byte, a request
 * id, a payload length and the payload. The agent is trusted code in an untrusted sandbox, so a
 * frame that breaks these rules ends the channel instead of being guessed at.
 */
final class AgentFrames {
  static final int HELLO = 1;
  static final int START = 2;
  static final int STDIN = 4;
  static final int STDOUT = 5;
  static final int STDERR = 6;
  static final int EXIT = 7;
  static final int KILL = 8;
  static final int ERROR = 9;
  static final int CALL = 10;
  static final int REPLY = 11;

  static final int PROTOCOL = 1;
  static final int HEADER = 16;

  /** The most one frame carries either way. */
  static final int MAX_PAYLOAD = 1 << 20;

  /**
   * Stdin goes in frames this small, each written at once: writes of a few KiB reach the agent
   * whole even when another process is attached to the same sandbox.
   */
  static final int STDIN_CHUNK = 4096 - HEADER;

  private AgentFrames() {}

  /** A frame read from the agent. */
  record Frame(int type, long id, byte[] payload) {}

  static byte[] encode(int type, long id, byte[] payload, int offset, int length) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + length);
    b.put((byte) 'S').put((byte) 'B').put((byte) 'X').put((byte) type);
    b.putLong(id).putInt(length).put(payload, offset, length);
    return b.array();
  }

  static byte[] encode(int type, long id, byte[] payload) {
    return encode(type, id, payload, 0, payload.length);
  }

  /** Reads the next frame; null at a clean end of the stream. */
  static Frame read(DataInputStream in) throws IOException {
    byte[] head = new byte[HEADER];
    int first = in.read(head, 0, 1);
    if (first < 0) {
      return null;
    }
    in.readFully(head, 1, HEADER - 1);
    ByteBuffer b = ByteBuffer.wrap(head);
    if (b.get() != 'S' || b.get() != 'B' || b.get() != 'X') {
      throw new IOException("the agent sent bytes that are not a frame of its protocol");
    }
    int type = b.get() & 0xff;
    long id = b.getLong();
    int length = b.getInt();
    if (length < 0 || length > MAX_PAYLOAD) {
      throw new IOException("the agent sent a frame of " + length + " bytes, past the limit");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, id, payload);
  }

  /** Only what the container wrote to stdout, from Docker's multiplexed attach stream. */
  static final class Demux extends InputStream {
    private final DataInputStream raw;
    private final StderrSink stderr;
    private int left;

    /** Receives what the agent writes to its stderr: its own diagnostics. */
    interface StderrSink {
      void accept(byte[] data);
    }

    Demux(InputStream raw, StderrSink stderr) {
      this.raw = new DataInputStream(raw);
      this.stderr = stderr;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      while (left == 0) {
        byte[] head = new byte[8];
        int n = raw.read(head, 0, 1);
        if (n < 0) {
          return -1;
        }
        raw.readFully(head, 1, 7);
        int size = ByteBuffer.wrap(head, 4, 4).getInt();
        if (size < 0) {
          throw new IOException("Docker's attach stream announced " + size + " bytes");
        }
        if (head[0] == 1) {
          left = size;
        } else {
          byte[] text = new byte[Math.min(size, 64 << 10)];
          raw.readFully(text);
          raw.skipNBytes(size - text.length);
          stderr.accept(text);
        }
      }
      int n = raw.read(buf, off, Math.min(len, left));
      if (n < 0) {
        throw new IOException("Docker's attach stream ended inside a frame");
      }
      left -= n;
      return n;
    }
  }
}
