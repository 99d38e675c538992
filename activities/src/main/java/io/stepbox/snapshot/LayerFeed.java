package io.stepbox.snapshot;

import io.stepbox.sandbox.SandboxLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A sandbox layer's tar stream as a snapshot's chunks. Read whole the first time; when the same
 * sandbox was captured before ({@link PreviousCapture}), the chunks before the first changed entry
 * are the previous ones, tar writes only the entries from the last chunk boundary before that
 * change on, and once the new stream's cuts fall back into step with the previous stream's after
 * the last change, the rest are the previous chunks too. Either way the chunks are exactly those of
 * reading the layer whole, so snapshots stay self-contained and deduplicate the same.
 */
final class LayerFeed implements SnapshotWriter.ChunkFeed, AutoCloseable {
  private final List<TarScanner.Entry> head;
  private final List<ChunkStore.Stored> reuseBefore;
  private final LayerTar.Capture tar;
  private final TarScanner scanner;
  private final Chunker chunker;
  private final PreviousCapture previous;
  private final long[] previousEnds;
  private int tailIndex;
  private final int tailPreviousIndex;
  private int nextBefore;
  private long position;
  private long cutBytes;
  private int reuseAfter = -1;
  private long delta;

  private LayerFeed(
      List<TarScanner.Entry> head,
      List<ChunkStore.Stored> reuseBefore,
      LayerTar.Capture tar,
      TarScanner scanner,
      long start,
      PreviousCapture previous,
      int tailIndex,
      int tailPreviousIndex)
      throws IOException {
    this.head = head;
    this.reuseBefore = reuseBefore;
    this.tar = tar;
    this.scanner = scanner;
    this.previous = previous;
    this.previousEnds = previous == null ? new long[0] : previous.chunkEnds();
    this.tailIndex = tailIndex;
    this.tailPreviousIndex = tailPreviousIndex;
    this.position = start;
    InputStream stream = null;
    if (scanner != null) {
      stream = new SequenceInputStream(scanner, new ByteArrayInputStream(SpecialFiles.trailer()));
      stream.skipNBytes(start - scanner.position());
    }
    this.chunker = stream == null ? null : new Chunker(stream);
  }

  /** Reads the whole layer. */
  static LayerFeed whole(SandboxLayer layer) {
    LayerTar.Capture tar = LayerTar.capture(layer.upperDir(), layer.mountTargets());
    try {
      return new LayerFeed(
          List.of(), List.of(), tar, new TarScanner(tar.stream()), 0, null, -1, -1);
    } catch (IOException | RuntimeException e) {
      tar.close();
      throw SnapshotException.layer("reading the sandbox's layer failed: " + e, e);
    }
  }

  /**
   * Reads only what changed since {@code previous}, or returns null when that cannot be done
   * exactly (a hardlink with links on both sides of where reading would start, chunks too old to
   * count on, or a host where tar's path lookups cannot be kept inside the layer).
   */
  static LayerFeed since(PreviousCapture previous, Listing now, SandboxLayer layer) {
    if (!previous.chunksFresh(Instant.now()) || !LayerTar.canCaptureEntries()) {
      return null;
    }
    List<String> order = tarOrder(now.entries().keySet());
    List<TarScanner.Entry> old = previous.entries();
    int first = unchangedHead(previous, now, order, old);
    int tail = unchangedTail(previous, now, order, old, first);
    long changedAt = first < old.size() ? old.get(first).offset() : previous.entriesEnd();
    long[] ends = previous.chunkEnds();
    int headChunks = chunksBefore(ends, changedAt);
    long start = headChunks == 0 ? 0 : ends[headChunks - 1];
    if (first == old.size() && first == order.size()) {
      return unchanged(previous);
    }
    int from = entryAt(old, first, start);
    int fromIndex = Math.max(from, 0);
    if (now.linksStraddle(new HashSet<>(order.subList(0, fromIndex))::contains)) {
      return null;
    }
    long fromOffset = from < old.size() ? old.get(from).offset() : previous.entriesEnd();
    LayerTar.Capture tar =
        LayerTar.captureEntries(layer.upperDir(), order.subList(fromIndex, order.size()));
    try {
      return new LayerFeed(
          old.subList(0, fromIndex),
          previous.chunks().subList(0, headChunks),
          tar,
          new TarScanner(tar.stream(), fromOffset),
          start,
          tail == 0 ? null : previous,
          tail == 0 ? -1 : order.size() - tail - fromIndex,
          old.size() - tail);
    } catch (IOException | RuntimeException e) {
      tar.close();
      throw SnapshotException.layer("reading the sandbox's layer failed: " + e, e);
    }
  }

  /** How many of the chunks (by their end offsets) end at or before {@code offset}. */
  private static int chunksBefore(long[] ends, long offset) {
    int n = 0;
    while (n < ends.length && ends[n] <= offset) {
      n++;
    }
    return n;
  }

  /**
   * The entry from {@code first} back that the chunk boundary {@code start} falls in: tar writes
   * again from its start. -1 when there are no old entries.
   */
  private static int entryAt(List<TarScanner.Entry> old, int first, long start) {
    int from = Math.min(first, old.size() - 1);
    while (from > 0 && old.get(from).offset() > start) {
      from--;
    }
    return from;
  }

  /** How many entries at the start are the previous capture's, unchanged. */
  private static int unchangedHead(
      PreviousCapture previous, Listing now, List<String> order, List<TarScanner.Entry> old) {
    int first = 0;
    int common = Math.min(order.size(), old.size());
    while (first < common
        && order.get(first).equals(old.get(first).path())
        && now.unchangedSince(previous.listing(), order.get(first))) {
      first++;
    }
    return first;
  }

  /** How many entries at the end (after the {@code first} unchanged) are unchanged too. */
  private static int unchangedTail(
      PreviousCapture previous,
      Listing now,
      List<String> order,
      List<TarScanner.Entry> old,
      int first) {
    int common = Math.min(order.size(), old.size());
    int tail = 0;
    while (tail < common - first
        && order.get(order.size() - 1 - tail).equals(old.get(old.size() - 1 - tail).path())
        && now.unchangedSince(previous.listing(), order.get(order.size() - 1 - tail))) {
      tail++;
    }
    return tail;
  }

  /** Nothing changed: the stream is the previous one. */
  private static LayerFeed unchanged(PreviousCapture previous) {
    try {
      return new LayerFeed(
          previous.entries(), previous.chunks(), null, null, 0, previous, -1, -1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // nothing is read here
    }
  }

  @Override
  public SnapshotWriter.Piece next(byte[] into) throws IOException {
    if (nextBefore < reuseBefore.size()) {
      return SnapshotWriter.Piece.reuse(reuseBefore.get(nextBefore++));
    }
    if (reuseAfter >= 0) {
      List<ChunkStore.Stored> rest = previous.chunks();
      return reuseAfter < rest.size() ? SnapshotWriter.Piece.reuse(rest.get(reuseAfter++)) : null;
    }
    if (chunker == null) {
      return null;
    }
    int length = chunker.next(into);
    if (length < 0) {
      return null;
    }
    position += length;
    cutBytes += length;
    if (tailIndex >= 0 && scanner.entryList().size() > tailIndex) {
      long tailStarts = scanner.entryList().get(tailIndex).offset();
      delta = tailStarts - previous.entries().get(tailPreviousIndex).offset();
      int resume =
          position >= tailStarts
              ? PreviousCapture.chunkStartingAt(previousEnds, position - delta)
              : -1;
      if (resume >= 0 && tailAsBefore()) {
        reuseAfter = resume;
        tar.stopEarly();
      } else if (resume >= 0) {
        tailIndex = -1; // the layer changed under the listing: read on to the end
      }
    }
    return SnapshotWriter.Piece.of(length);
  }

  /**
   * Whether the entries tar wrote from the first one expected unchanged up to here have the headers
   * (size, times, mode, owners, name) and places they had: only then are the previous capture's
   * bytes past this point theirs.
   */
  private boolean tailAsBefore() {
    List<TarScanner.Entry> scanned = scanner.entryList();
    List<TarScanner.Entry> old = previous.entries();
    for (int j = tailIndex; j < scanned.size() && scanned.get(j).offset() < position; j++) {
      TarScanner.Entry now = scanned.get(j);
      TarScanner.Entry then = old.get(tailPreviousIndex + j - tailIndex);
      if (now.header() != then.header() || now.offset() - delta != then.offset()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Once the feed has ended: checks that tar read everything cleanly and returns the whole stream's
   * entries in order.
   */
  List<TarScanner.Entry> finish() {
    if (scanner == null) {
      return head;
    }
    List<TarScanner.Entry> all = new ArrayList<>(head);
    if (reuseAfter < 0) {
      tar.finish();
      all.addAll(scanner.entryList());
      return all;
    }
    all.addAll(scanner.entryList().subList(0, tailIndex));
    for (TarScanner.Entry e :
        previous.entries().subList(tailPreviousIndex, previous.entries().size())) {
      all.add(
          new TarScanner.Entry(
              e.path(), e.offset() + delta, e.deletion(), e.counted(), e.header()));
    }
    return all;
  }

  /** Where the last entry ends, once {@link #finish()} has returned. */
  long entriesEnd() {
    if (scanner == null) {
      return previous.entriesEnd();
    }
    return reuseAfter < 0 ? scanner.position() : previous.entriesEnd() + delta;
  }

  /** Bytes of the chunks this feed cut anew (the rest were the previous capture's). */
  long cutBytes() {
    return cutBytes;
  }

  @Override
  public void close() {
    if (tar != null) {
      tar.close();
    }
  }

  /**
   * {@code paths} in the order {@code tar --sort=name} writes them: depth first, the names in a
   * directory in byte order.
   */
  static List<String> tarOrder(java.util.Collection<String> paths) {
    List<Map.Entry<byte[], String>> keyed = new ArrayList<>(paths.size());
    for (String p : paths) {
      byte[] k = p.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < k.length; i++) {
        if (k[i] == '/') {
          k[i] = 0; // a name's end sorts before any byte that could continue it
        }
      }
      keyed.add(Map.entry(k, p));
    }
    keyed.sort(Comparator.comparing(Map.Entry::getKey, java.util.Arrays::compareUnsigned));
    List<String> out = new ArrayList<>(keyed.size());
    keyed.forEach(e -> out.add(e.getValue()));
    return out;
  }
}
