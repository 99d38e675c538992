package io.stepbox.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sandbox's layer holds, by path, as the host's {@code lstat} sees it: type, inode, link
 * count, size, modification and change times, mode and owners. Two listings tell which paths
 * changed between two snapshots of the same sandbox: any change to an entry's content, metadata,
 * link count or extended attributes moves its change time. One {@code find} walk, cheap enough to
 * take at every capture.
 */
final class Listing {
  /**
   * An entry whose change time is this close to when the listing was taken may change again within
   * the same clock tick without its stat changing ("racily clean"); it is treated as changed next
   * time.
   */
  static final java.time.Duration RACY = java.time.Duration.ofSeconds(1);

  /**
   * One entry. {@code stat} holds every field compared, so two stats are the same entry unchanged
   * exactly when their strings are equal.
   */
  record Stat(char type, long inode, long links, double mtime, double ctime, String stat) {
    boolean sameAs(Stat other) {
      return other != null && stat.equals(other.stat);
    }
  }

  private final Map<String, Stat> entries;
  private final double racyFrom;

  private Listing(Map<String, Stat> entries, Instant takenAt, java.time.Duration racy) {
    this.entries = entries;
    Instant from = takenAt.minus(racy);
    this.racyFrom = from.getEpochSecond() + from.getNano() / 1e9;
  }

  /**
   * Lists {@code upper} without the {@code excluded} absolute paths and what lies under them; an
   * entry changed less than {@code racy} before the listing counts as changed next time.
   *
   * @return the listing, or null when a name is not UTF-8 (the caller then reads the layer whole)
   */
  static Listing of(Path upper, Collection<String> excluded, java.time.Duration racy) {
    return of(upper, excluded, racy, Instant.now());
  }

  /**
   * Like {@link #of(Path, Collection, java.time.Duration)} for a listing that may run while the
   * layer is read: every entry changed after {@code from} (when reading started at the latest)
   * counts as changed next time, so what the listing saw and what was read can never disagree
   * unnoticed.
   */
  static Listing of(
      Path upper, Collection<String> excluded, java.time.Duration racy, Instant from) {
    Map<String, Stat> entries = parse(find(upper), excluded);
    return entries == null ? null : new Listing(entries, from, racy);
  }

  /** What {@code find} prints for every entry of {@code upper}: one NUL-ended record each. */
  private static byte[] find(Path upper) {
    try {
      Process p =
          new ProcessBuilder(
                  "find", upper.toString(), "-printf", "%y %i %n %s %T@ %C@ %m %U %G %P\\0")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (p.waitFor() != 0) {
        throw SnapshotException.layer("listing the sandbox's layer " + upper + " failed");
      }
      return out;
    } catch (IOException e) {
      throw SnapshotException.layer("cannot run find on the host: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SnapshotException.interrupted("interrupted while listing " + upper, e);
    }
  }

  /** The entries of {@code find}'s records by path, or null when a name is not UTF-8. */
  private static Map<String, Stat> parse(byte[] out, Collection<String> excluded) {
    Map<String, Stat> entries = new HashMap<>();
    var utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // One record per entry: nine ASCII fields and the path, parsed in place (this runs on every
    // capture, and the incremental one waits for it).
    int start = 0;
    int[] spaces = new int[9];
    for (int i = 0; i < out.length; i++) {
      if (out[i] != 0) {
        continue;
      }
      int record = start;
      start = i + 1;
      int at = fields(out, record, spaces);
      String name;
      try {
        name = utf8.decode(ByteBuffer.wrap(out, at, i - at)).toString();
      } catch (CharacterCodingException e) {
        return null;
      }
      String path = "/" + name;
      char type = (char) out[record];
      if (type == 's' || isExcluded(path, excluded)) { // tar leaves sockets out too
        continue;
      }
      entries.put(path, stat(out, record, spaces, at));
    }
    return entries;
  }

  /** Finds the spaces after the fields of the record at {@code at}; returns where its path starts. */
  private static int fields(byte[] out, int at, int[] spaces) {
    for (int f = 0; f < spaces.length; f++) {
      while (out[at] != ' ') {
        at++;
      }
      spaces[f] = at++;
    }
    return at;
  }

  /** The stat of the record at {@code record}, whose path starts at {@code path}. */
  private static Stat stat(byte[] out, int record, int[] spaces, int path) {
    return new Stat(
        (char) out[record],
        number(out, spaces[0] + 1, spaces[1]),
        number(out, spaces[1] + 1, spaces[2]),
        seconds(out, spaces[3] + 1, spaces[4]),
        seconds(out, spaces[4] + 1, spaces[5]),
        new String(out, record, path - record, StandardCharsets.ISO_8859_1));
  }

  private static long number(byte[] b, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** find's {@code %T@}: seconds since the epoch with a fraction, perhaps negative. */
  private static double seconds(byte[] b, int from, int to) {
    boolean negative = b[from] == '-';
    long whole = 0;
    long fraction = 0;
    long scale = 1;
    int i = negative ? from + 1 : from;
    for (; i < to && b[i] != '.'; i++) {
      whole = whole * 10 + (b[i] - '0');
    }
    for (i++; i < to && scale < 1_000_000_000_000L; i++) {
      fraction = fraction * 10 + (b[i] - '0');
      scale *= 10;
    }
    double v = whole + (double) fraction / scale;
    return negative ? -v : v;
  }

  private static boolean isExcluded(String path, Collection<String> excluded) {
    for (String x : excluded) {
      if (path.equals(x) || path.startsWith(x.endsWith("/") ? x : x + "/")) {
        return true;
      }
    }
    return false;
  }

  Stat get(String path) {
    return entries.get(path);
  }

  int size() {
    return entries.size();
  }

  Map<String, Stat> entries() {
    return entries;
  }

  /**
   * Whether {@code path} is unchanged since {@code before} was taken: same stat, and not racily
   * clean then.
   */
  boolean unchangedSince(Listing before, String path) {
    Stat now = entries.get(path);
    Stat then = before.entries.get(path);
    return now != null && now.sameAs(then) && !before.isRacy(then);
  }

  private boolean isRacy(Stat s) {
    return s.ctime() >= racyFrom;
  }

  /** Directories modified at or after {@code since}, absolute paths, sorted. */
  List<String> dirsChangedSince(Instant since) {
    double t = since.getEpochSecond() + since.getNano() / 1e9;
    List<String> dirs = new ArrayList<>();
    entries.forEach(
        (path, s) -> {
          if (s.type() == 'd' && s.mtime() >= t) {
            dirs.add(path);
          }
        });
    dirs.sort(null);
    return dirs;
  }

  /**
   * Whether some file with more than one link has links both where {@code before} holds and where
   * it does not: tar writes the second of two links as a link to the first, so such a stream cannot
   * be written again from a point between them on alone.
   */
  boolean linksStraddle(java.util.function.Predicate<String> before) {
    Map<Long, Boolean> side = new HashMap<>();
    for (var e : entries.entrySet()) {
      Stat s = e.getValue();
      if (s.type() == 'd' || s.links() < 2) {
        continue;
      }
      boolean b = before.test(e.getKey());
      Boolean seen = side.putIfAbsent(s.inode(), b);
      if (seen != null && seen != b) {
        return true;
      }
    }
    return false;
  }
}
