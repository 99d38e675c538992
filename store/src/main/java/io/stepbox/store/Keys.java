package io.stepbox.store;

/** Object keys: relative, slash-separated, no empty, dot or dot-dot segments. */
final class Keys {
  private Keys() {}

  /** Checked on every put and stat: a character loop, no regular expression. */
  static String check(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new BlobStoreException(
          "key '" + key + "' must be relative and not end with /", false, null);
    }
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i < key.length() && key.charAt(i) != '/') {
        continue;
      }
      String segment = key.substring(start, i);
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || !segment.chars().allMatch(Keys::allowed)) {
        throw new BlobStoreException(
            "key '"
                + key
                + "' has a bad segment '"
                + segment
                + "': use letters, digits and _ . = -",
            false,
            null);
      }
      start = i + 1;
    }
    return key;
  }

  private static boolean allowed(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '_'
        || c == '.'
        || c == '='
        || c == '-';
  }
}
