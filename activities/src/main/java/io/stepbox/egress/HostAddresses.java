package io.stepbox.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses of this host's interfaces outside the ranges {@link SquidConfig#PRIVATE} already
 * refuses (Squid warns about an address inside another entry): a proxy never connects to the
 * host itself, by a public address either.
 */
final class HostAddresses {
  private HostAddresses() {}

  static List<String> all() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (coveredByPrivate(a)) {
            continue;
          }
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          out.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      // Without a list, loopback and the private ranges still stand.
    }
    return new ArrayList<>(out);
  }

  private static boolean coveredByPrivate(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0
          || first == 10
          || (first == 100 && second >= 64 && second < 128)
          || (first == 172 && second >= 16 && second < 32)
          || (first == 192 && second == 168)
          || (first == 192 && second == 0 && b[2] == 0)
          || (first == 198 && (second == 18 || second == 19))
          || first >= 224;
    }
    return (b[0] & 0xfe) == 0xfc || ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02);
  }
}
