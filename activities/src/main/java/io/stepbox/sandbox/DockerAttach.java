package io.stepbox.sandbox;

import io.stepbox.sandbox.SandboxException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One attach to a container's stdin, stdout and stderr: an HTTP request that dockerd upgrades to a
 * raw stream. Written here rather than taken from docker-java, whose attach pumps stdin from an
 * InputStream on a thread of its own: the agent's requests must reach it as written, at once.
 */
final class DockerAttach implements AutoCloseable {
  private final AutoCloseable connection;
  final InputStream in;
  final OutputStream out;

  private DockerAttach(AutoCloseable connection, InputStream in, OutputStream out) {
    this.connection = connection;
    this.in = in;
    this.out = out;
  }

  /**
   * Attaches to {@code containerId} on the engine at {@code dockerHost} ({@code unix://} or plain
   * {@code tcp://}).
   */
  static DockerAttach open(String dockerHost, String containerId) {
    DockerAttach a;
    try {
      a = connect(dockerHost);
    } catch (IOException e) {
      throw new SandboxException(
          Reason.ENGINE, "attach to sandbox " + containerId + ": cannot reach " + dockerHost, e);
    }
    try {
      a.out.write(
          ("POST /containers/"
                  + containerId
                  + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                  + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String status = a.readHead();
      if (!status.startsWith("HTTP/1.1 101")) {
        throw refused(containerId, status);
      }
      return a;
    } catch (IOException e) {
      a.close();
      throw new SandboxException(
          Reason.ENGINE, "attach to sandbox " + containerId + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private static SandboxException refused(String containerId, String status) {
    if (status.contains(" 404 ")) {
      return new SandboxException(
          Reason.NOT_FOUND,
          "sandbox " + containerId + " does not exist; stepbox sandbox ls shows the sandboxes");
    }
    if (status.contains(" 409 ")) {
      return new SandboxException(
          Reason.GONE,
          "sandbox "
              + containerId
              + " is not running: it reached its lifetime or was killed; create a new one");
    }
    return new SandboxException(
        Reason.ENGINE, "attach to sandbox " + containerId + ": dockerd answered " + status);
  }

  private static DockerAttach connect(String dockerHost) throws IOException {
    if (dockerHost.startsWith("unix://")) {
      SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(dockerHost.substring(7)));
      return new DockerAttach(ch, new ChannelIn(ch), new ChannelOut(ch));
    }
    if (dockerHost.startsWith("tcp://")) {
      URI uri = URI.create(dockerHost);
      Socket s = new Socket();
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      s.setTcpNoDelay(true);
      return new DockerAttach(s, s.getInputStream(), s.getOutputStream());
    }
    throw SandboxException.invalid(
        "DOCKER_HOST: '" + dockerHost + "' is neither unix:// nor tcp://; the agent needs one");
  }

  /**
   * The body of a GET of {@code path} from the engine's API, for the fields docker-java's models
   * leave out (a runtime's arguments). HTTP/1.0, so that the engine sends the body whole and closes.
   */
  static String get(String dockerHost, String path) {
    try (DockerAttach a = connect(dockerHost)) {
      a.out.write(
          ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = a.readHead();
      if (!status.contains(" 200 ")) {
        throw new SandboxException(Reason.ENGINE, "GET " + path + ": dockerd answered " + status);
      }
      return new String(a.in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SandboxException(Reason.ENGINE, "GET " + path + " from " + dockerHost + " failed", e);
    }
  }

  /** The response's status line, after reading its headers up to the blank line. */
  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("dockerd closed the connection before answering");
      }
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
      if (head.size() > 16 << 10) {
        throw new IOException("dockerd's answer has no end of headers");
      }
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, text.indexOf('\r'));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // Closing a socket: nothing to do about a failure.
    }
  }

  /**
   * Stream views of a socket channel that neither lock each other out (the JDK's own adapters
   * share one lock between a blocked read and a write) nor buffer.
   */
  private static final class ChannelIn extends InputStream {
    private final SocketChannel ch;

    ChannelIn(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return ch.read(ByteBuffer.wrap(b, off, len));
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel ch;

    ChannelOut(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }
}
