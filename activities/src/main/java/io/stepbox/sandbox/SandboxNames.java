package io.stepbox.sandbox;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container names. A sandbox's labels are fixed when it is made, but a sandbox started ahead of
 * time for the {@link SandboxPool} learns its task and step only when it is taken: then it is
 * renamed, and the name carries them. {@link #labels} reads them back, so listings show a taken
 * sandbox like any other.
 *
 * <p>Names are {@code stepbox-HEX}, {@code stepbox-pool-HEX} while pooled, and {@code
 * stepbox-HEX_tTASK_sSTEP} once taken. Docker allows {@code [a-zA-Z0-9_.-]} in names, task ids also
 * hold {@code ':'}: in TASK and STEP, {@code '_'} is written {@code "__"} and {@code ':'} {@code
 * "_c"}, so every name reads back to exactly the ids it was made from.
 */
final class SandboxNames {
  private static final String PREFIX = "stepbox-";
  private static final String POOL = PREFIX + "pool-";
  private static final String ESCAPED = "(?:[A-Za-z0-9.-]|_[_c])+";
  private static final Pattern TAKEN =
      Pattern.compile(
          "/?stepbox-([0-9a-f]{16})((?:_t" + ESCAPED + ")?)((?:_s" + ESCAPED + ")?)");

  private SandboxNames() {}

  static String fresh() {
    return PREFIX + randomHex();
  }

  static String pooled() {
    return POOL + randomHex();
  }

  /** The name of pooled sandbox {@code pooledName} once taken for a task's step (either null). */
  static String taken(String pooledName, String task, String step) {
    String name = pooledName.startsWith("/") ? pooledName.substring(1) : pooledName;
    if (!name.startsWith(POOL)) {
      throw new IllegalArgumentException("not a pooled sandbox's name: " + pooledName);
    }
    StringBuilder b = new StringBuilder(PREFIX).append(name.substring(POOL.length()));
    if (task != null) {
      b.append("_t").append(escape(task));
    }
    if (step != null) {
      b.append("_s").append(escape(step));
    }
    return b.toString();
  }

  static boolean isPooled(String name) {
    return name != null && (name.startsWith(POOL) || name.startsWith("/" + POOL));
  }

  /** The task and step labels a taken sandbox's name carries; empty for any other name. */
  static Map<String, String> labels(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (name == null) {
      return out;
    }
    Matcher m = TAKEN.matcher(name);
    if (!m.matches()) {
      return out;
    }
    if (!m.group(2).isEmpty()) {
      out.put(SandboxLabels.TASK, unescape(m.group(2).substring(2)));
    }
    if (!m.group(3).isEmpty()) {
      out.put(SandboxLabels.STEP, unescape(m.group(3).substring(2)));
    }
    return out;
  }

  private static String escape(String id) {
    return id.replace("_", "__").replace(":", "_c");
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_' && i + 1 < s.length()) {
        b.append(s.charAt(++i) == 'c' ? ':' : '_');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String randomHex() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
