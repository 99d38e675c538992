package io.stepbox.store;

import java.util.regex.Pattern;

/** Object keys: relative, slash-separated, no empty, dot or dot-dot segments. */
final class Keys {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.=-]+");

  private Keys() {}

  static String check(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new BlobStoreException(
          "key '" + key + "' must be relative and not end with /", false, null);
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
        throw new BlobStoreException(
            "key '"
                + key
                + "' has a bad segment '"
                + segment
                + "': use letters, digits and _ . = -",
            false,
            null);
      }
    }
    return key;
  }
}
