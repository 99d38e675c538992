package io.stepbox.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Open TCP connections between a sandbox and its proxy, read from the host's {@code
 * /proc/net/tcp}: Squid logs a transaction when its connection ends, so the audit waits for none
 * to be left before it reads the log.
 */
final class Connections {
  private static final Path TCP = Path.of("/proc/net/tcp");
  private static final String ESTABLISHED = "01";
  private static final String CLOSE_WAIT = "08";

  private Connections() {}

  /** Connections from {@code clientIp} to {@code listenIp:port} that Squid has not closed. */
  static int open(String listenIp, int port, String clientIp) {
    List<String> lines;
    try {
      lines = Files.readAllLines(TCP);
    } catch (IOException e) {
      return 0; // no procfs view: the audit reads what was logged
    }
    String local = hex(listenIp) + ":" + String.format("%04X", port);
    String remote = hex(clientIp) + ":";
    int n = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3
          && f[1].equals(local)
          && f[2].startsWith(remote)
          && (f[3].equals(ESTABLISHED) || f[3].equals(CLOSE_WAIT))) {
        n++;
      }
    }
    return n;
  }

  /** An IPv4 address as /proc/net/tcp writes it: the bytes in host (little-endian) order. */
  static String hex(String ip) {
    try {
      byte[] b = InetAddress.getByName(ip).getAddress();
      return String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]);
    } catch (UnknownHostException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip, e);
    }
  }
}
