package io.stepbox.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepbox.sandbox.SandboxException.Reason;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one sandbox's agent over the container's attached stdin and stdout. Requests are
 * sent under ids of this channel's own (another process attached to the same sandbox sees the
 * replies too, and ignores them); one reader thread hands each reply to the receiver of its id.
 * Thread-safe. See docs/agent-protocol.md.
 */
final class AgentChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentChannel.class);
  static final ObjectMapper JSON = new ObjectMapper();

  /** Gets the frames of one request id, on the channel's reader thread: must be quick. */
  interface Receiver {
    void onFrame(AgentFrames.Frame frame);

    /** The channel ended before the request did. */
    void onClosed(IOException cause);
  }

  private final String containerId;
  private final DockerAttach attach;
  private final Map<Long, Receiver> receivers = new ConcurrentHashMap<>();
  private final long prefix = (long) ThreadLocalRandom.current().nextInt() << 32;
  private final AtomicLong next = new AtomicLong(1);
  private volatile IOException closedBy;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  private AgentChannel(String containerId, DockerAttach attach) {
    this.containerId = containerId;
    this.attach = attach;
  }

  /** Attaches to the sandbox and checks that its agent speaks this protocol. */
  static AgentChannel open(String dockerHost, String containerId, Duration timeout) {
    AgentChannel ch = new AgentChannel(containerId, DockerAttach.open(dockerHost, containerId));
    Thread reader = new Thread(ch::readLoop, "stepbox-agent-" + containerId.substring(0, 12));
    reader.setDaemon(true);
    reader.start();
    try {
      JsonNode hello = ch.request(AgentFrames.HELLO, JSON.createObjectNode(), timeout);
      if (hello.path("protocol").asInt() != AgentFrames.PROTOCOL) {
        throw new SandboxException(
            Reason.RUNTIME,
            "the agent in sandbox "
                + containerId
                + " speaks protocol "
                + hello.path("protocol")
                + ", this stepbox "
                + AgentFrames.PROTOCOL
                + "; run ./stepbox setup to build the agent of this release");
      }
      return ch;
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  long newId() {
    return prefix | next.getAndIncrement();
  }

  boolean isOpen() {
    return closedBy == null;
  }

  void register(long id, Receiver r) {
    receivers.put(id, r);
    IOException cause = closedBy;
    if (cause != null && receivers.remove(id) != null) {
      r.onClosed(cause);
    }
  }

  void unregister(long id) {
    receivers.remove(id);
  }

  /** Sends one frame in one write. */
  void send(int type, long id, byte[] payload, int offset, int length) {
    byte[] frame = AgentFrames.encode(type, id, payload, offset, length);
    synchronized (attach.out) {
      try {
        attach.out.write(frame);
      } catch (IOException e) {
        fail(e);
        throw new SandboxException(
            Reason.ENGINE, "sending to the agent of sandbox " + containerId + " failed", e);
      }
    }
  }

  void send(int type, long id, byte[] payload) {
    send(type, id, payload, 0, payload.length);
  }

  /** Runs a helper operation in the agent and returns its reply. */
  JsonNode call(String op, ObjectNode args, Duration timeout) {
    ObjectNode req = args.deepCopy();
    req.put("op", op);
    return request(AgentFrames.CALL, req, timeout);
  }

  private JsonNode request(int type, ObjectNode body, Duration timeout) {
    long id = newId();
    CompletableFuture<AgentFrames.Frame> reply = new CompletableFuture<>();
    register(
        id,
        new Receiver() {
          @Override
          public void onFrame(AgentFrames.Frame f) {
            reply.complete(f);
          }

          @Override
          public void onClosed(IOException cause) {
            reply.completeExceptionally(cause);
          }
        });
    String what = type == AgentFrames.CALL ? body.path("op").asText() : "hello";
    try {
      send(type, id, bytes(body));
      AgentFrames.Frame f = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      JsonNode node = parse(f.payload());
      if (f.type() == AgentFrames.ERROR) {
        throw new AgentException(what + " in sandbox " + containerId + ": " + node.path("error").asText());
      }
      return node;
    } catch (TimeoutException e) {
      throw new SandboxException(
          Reason.ENGINE,
          "the agent of sandbox " + containerId + " did not answer " + what + " within " + timeout,
          e);
    } catch (ExecutionException e) {
      throw lost(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Reason.ENGINE, "interrupted waiting for the agent", e);
    } finally {
      unregister(id);
    }
  }

  /** The failure for a channel that ended: the sandbox stopped, or the connection broke. */
  SandboxException lost(Throwable cause) {
    return new SandboxException(
        Reason.ENGINE,
        "the connection to the agent of sandbox "
            + containerId
            + " ended: "
            + (cause == null ? "closed" : cause.getMessage()),
        cause);
  }

  /** Completes when the channel has ended, for whatever reason. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(byte[] payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      throw new AgentException("the agent sent a reply that is not JSON: " + e.getMessage());
    }
  }

  private void readLoop() {
    DataInputStream in =
        new DataInputStream(
            new AgentFrames.Demux(
                attach.in,
                text ->
                    log.warn(
                        "agent of sandbox {}: {}",
                        containerId.substring(0, 12),
                        new String(text, StandardCharsets.UTF_8).strip())));
    try {
      while (true) {
        AgentFrames.Frame f = AgentFrames.read(in);
        if (f == null) {
          fail(new IOException("the sandbox's output ended (it stopped or was removed)"));
          return;
        }
        Receiver r = receivers.get(f.id());
        if (r != null) {
          r.onFrame(f);
        }
      }
    } catch (IOException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new IOException(e));
    }
  }

  private void fail(IOException cause) {
    if (closedBy != null) {
      return;
    }
    closedBy = cause;
    attach.close();
    for (Long id : receivers.keySet()) {
      Receiver r = receivers.remove(id);
      if (r != null) {
        r.onClosed(cause);
      }
    }
    ended.complete(null);
  }

  @Override
  public void close() {
    fail(new IOException("closed by stepbox"));
  }

  /** The agent refused a request; the message is the agent's. */
  static final class AgentException extends SandboxException {
    private static final long serialVersionUID = 1L;

    AgentException(String message) {
      super(Reason.ENGINE, message);
    }
  }
}
