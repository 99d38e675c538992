package io.stepbox.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes a tar stream through while reading its headers, and ends before the end-of-archive blocks
 * so that more entries can follow. Learns what the layer deletes (overlay whiteouts: char devices
 * 0:0, and directories marked opaque) and how many entries it holds.
 */
final class TarScanner extends InputStream {
  static final String OPAQUE = "SCHILY.xattr.trusted.overlay.opaque";
  private static final int BLOCK = 512;
  private static final int MAX_META = 1 << 20;

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private int headerOut = BLOCK;
  private long dataLeft;
  private long metaLeft;
  private ByteArrayOutputStream meta;
  private char metaType;
  private final Map<String, String> pax = new HashMap<>();
  private String longName;
  private boolean ended;
  private final List<String> deletions = new ArrayList<>();
  private final List<Entry> entryList = new ArrayList<>();
  private long entries;
  private long position;
  private long entryStart = -1;
  private final java.util.zip.CRC32 headerSum = new java.util.zip.CRC32();

  /**
   * An entry of the stream: its path (absolute, no trailing slash), where its first header starts
   * in the stream, the deletion it stands for (a whiteout's path, or an opaque directory's path
   * ending with "/"; null for most), whether it counts as a file of the layer, and a checksum of
   * its header blocks and extended header records (name, size, times, mode, owners, link target).
   */
  record Entry(String path, long offset, String deletion, boolean counted, long header) {}

  TarScanner(InputStream in) {
    this(in, 0);
  }

  /** A scanner of a stream whose first byte is at {@code offset} of the whole stream. */
  TarScanner(InputStream in, long offset) {
    this.in = in;
    this.position = offset;
  }

  /** The entries read so far, in stream order. */
  List<Entry> entryList() {
    return entryList;
  }

  /** Bytes passed through so far, counted from the whole stream's start. */
  long position() {
    return position;
  }

  /** Paths the layer deletes, absolute; a directory it replaces whole ends with "/". */
  List<String> deletions() {
    return deletions;
  }

  /** Entries that are neither deletions nor the layer's root. */
  long entries() {
    return entries;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = passOn(b, off, len);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /**
   * Reads what the caller asked for in one read and finds the headers among the bytes read, so that
   * the stream is copied once. A header cut by the read's end is completed at once (to know whether
   * it ends the archive) and its rest is passed on by the next call.
   */
  private int passOn(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (headerOut < BLOCK) {
      return passHeaderRest(b, off, len);
    }
    if (ended) {
      return -1;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      if (dataLeft > 0) {
        throw new EOFException("tar stream ended inside an entry");
      }
      ended = true;
      return -1;
    }
    return scan(b, off, n);
  }

  /** Passes on the rest of a header that a read's end cut. */
  private int passHeaderRest(byte[] b, int off, int len) {
    int n = Math.min(len, BLOCK - headerOut);
    System.arraycopy(header, headerOut, b, off, n);
    headerOut += n;
    return n;
  }

  /**
   * Finds the headers among the {@code n} bytes just read into {@code b} at {@code off}; returns
   * how many to pass on, fewer when the archive ends among them.
   */
  private int scan(byte[] b, int off, int n) throws IOException {
    int end = off + n;
    for (int i = off; i < end; ) {
      if (dataLeft > 0) {
        int k = (int) Math.min(dataLeft, end - i);
        collectMeta(b, i, k);
        dataLeft -= k;
        i += k;
        continue;
      }
      int have = Math.min(BLOCK, end - i);
      System.arraycopy(b, i, header, 0, have);
      if (have < BLOCK && in.readNBytes(header, have, BLOCK - have) < BLOCK - have) {
        throw new EOFException("tar stream ended inside a header");
      }
      if (isZero(header)) {
        // End of archive: the caller appends more entries and the trailer.
        ended = true;
        return i == off ? -1 : i - off;
      }
      onHeader(position + (i - off));
      if (have < BLOCK) {
        headerOut = have; // the rest of this header goes out next
      }
      i += have;
    }
    return n;
  }

  private void collectMeta(byte[] b, int off, int n) {
    if (meta == null) {
      return;
    }
    int take = (int) Math.min(n, metaLeft);
    meta.write(b, off, take);
    headerSum.update(b, off, take);
    metaLeft -= take;
    if (metaLeft == 0) {
      parseMeta(meta.toByteArray());
      meta = null;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte x : block) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** A header block, starting at {@code at} in the whole stream, is in {@link #header}. */
  private void onHeader(long at) {
    if (entryStart < 0) {
      entryStart = at;
    }
    headerSum.update(header);
    char type = (char) header[156];
    long size = number(124, 12);
    if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
      if (size > MAX_META) {
        throw SnapshotException.unsupported(
            "tar extended header of " + size + " bytes is too large");
      }
      meta = new ByteArrayOutputStream((int) size);
      metaLeft = size;
      metaType = type;
      dataLeft = pad(size);
      if (size == 0) {
        meta = null;
      }
      return;
    }
    String name = pax.containsKey("path") ? pax.get("path") : longName;
    if (name == null) {
      name = headerName();
    }
    if (pax.containsKey("size")) {
      size = Long.parseLong(pax.get("size"));
    }
    String path = normalize(name);
    entryList.add(classify(type, path, entryStart));
    entryStart = -1;
    pax.clear();
    longName = null;
    boolean hasData = type == '0' || type == '\0' || type == '7';
    dataLeft = hasData ? pad(size) : 0;
  }

  private Entry classify(char type, String path, long offset) {
    String deletion = null;
    boolean counted = false;
    if (type == '3' && number(329, 8) == 0 && number(337, 8) == 0) {
      deletion = path;
    } else {
      if (type == '5' && "y".equals(pax.get(OPAQUE))) {
        deletion = path.endsWith("/") ? path : path + "/";
      }
      counted = !path.equals("/");
    }
    if (deletion != null) {
      deletions.add(deletion);
    }
    if (counted) {
      entries++;
    }
    Entry entry = new Entry(trimSlash(path), offset, deletion, counted, headerSum.getValue());
    headerSum.reset();
    return entry;
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private void parseMeta(byte[] data) {
    if (metaType == 'L') {
      longName = cString(data, 0, data.length);
      return;
    }
    if (metaType != 'x') {
      return;
    }
    int i = 0;
    while (i < data.length) {
      int space = indexOf(data, (byte) ' ', i);
      if (space < 0) {
        break;
      }
      int recordLength =
          Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      String record =
          new String(data, space + 1, recordLength - (space - i) - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        pax.put(record.substring(0, eq), record.substring(eq + 1));
      }
      i += recordLength;
    }
  }

  private String headerName() {
    String name = cString(header, 0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private long number(int off, int len) {
    if ((header[off] & 0x80) != 0) { // base-256 for large values
      long v = 0;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (header[i] & 0xff);
      }
      return v;
    }
    String s = cString(header, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static String normalize(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name.equals(".") ? "" : name;
    return "/" + n;
  }

  private static long pad(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
