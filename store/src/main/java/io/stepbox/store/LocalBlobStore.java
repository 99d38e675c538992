package io.stepbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} in a local directory, the default. Each key is a file; a put writes a
 * temporary file beside it, syncs it, renames it into place and syncs the directory, so readers
 * never see half an object, a crash leaves only a temporary file (named {@code .tmp-*}, never
 * listed), and a put that returned survives a crash even where the file system does not order its
 * metadata writes (ext4 without a journal, as on these machines): an object written after another
 * (a manifest after its chunks) never survives without it.
 */
public final class LocalBlobStore implements BlobStore {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LocalBlobStore.class);
  private static final String TMP_PREFIX = ".tmp-";
  private final Path root;

  /**
   * Whether staged objects are written past the page cache (O_DIRECT), true until the file system
   * refuses. A chunk is written once and seldom read soon after, so caching it only costs, and on
   * these machines it costs a lot and unevenly: they are VMs whose freed memory goes back to the
   * host, and new page cache is memory the host must map again, so writing through the cache costs
   * several times the CPU of writing past it (docs/benchmarks.md has the figures).
   */
  private volatile boolean direct = true;

  /** Directories whose own name and those above it up to the root are known to be durable. */
  private final java.util.Set<Path> durableDirs =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public LocalBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Path existing = this.root;
      while (existing != null && !Files.isDirectory(existing)) {
        existing = existing.getParent();
      }
      Files.createDirectories(this.root);
      for (Path dir = this.root; !dir.equals(existing); dir = dir.getParent()) {
        syncDirectory(dir.getParent()); // a store made here survives a crash as made
      }
    } catch (IOException e) {
      throw new BlobStoreException(
          "cannot create the blob directory "
              + this.root
              + ": "
              + e
              + "; set STEPBOX_BLOB_URL to a writable file:// directory",
          false,
          e);
    }
  }

  @Override
  public Optional<BlobInfo> stat(String key) {
    if (!path(key).toFile().isFile()) {
      // The usual answer while a snapshot is written, asked once per chunk: found without the
      // exception (and its stack trace) that reading a missing file's attributes throws.
      return Optional.empty();
    }
    try {
      var attrs =
          Files.readAttributes(path(key), java.nio.file.attribute.BasicFileAttributes.class);
      return attrs.isRegularFile()
          ? Optional.of(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BlobStoreException("stat " + key + " in " + root + ": " + e, true, e);
    }
  }

  @Override
  public void put(String key, InputStream data, long length) {
    write(
        key,
        channel -> {
          long copied = data.transferTo(Channels.newOutputStream(channel));
          if (copied != length) {
            throw new BlobStoreException(
                "put " + key + ": expected " + length + " bytes, the stream " + "had " + copied,
                false,
                null);
          }
        });
  }

  @Override
  public void put(String key, byte[] data, int offset, int length) {
    stage(key, data, offset, length).commit();
  }

  /**
   * Keeps a copy of the object to write on commit, past the page cache, where it fits an aligned
   * buffer and one comes free soon; otherwise writes a temporary file beside the key's now, which
   * committing syncs and renames into place.
   */
  @Override
  public Staged stage(String key, byte[] data, int offset, int length) {
    Path target = path(key);
    ByteBuffer copy = direct ? Aligned.take(length) : null;
    if (copy != null) {
      copy.put(data, offset, length);
      return new Staged() {
        private final java.util.concurrent.atomic.AtomicBoolean done =
            new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void commit() {
          if (!done.compareAndSet(false, true)) {
            throw new IllegalStateException("staged " + key + " was committed or dropped");
          }
          Path tmp;
          try {
            tmp = writeDirect(key, target, copy, length);
          } finally {
            Aligned.give(copy);
          }
          publish(key, tmp, target);
        }

        @Override
        public void abort() {
          if (done.compareAndSet(false, true)) {
            Aligned.give(copy);
          }
        }
      };
    }
    Path tmp =
        write(
            key,
            target,
            channel -> {
              ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
              while (buffer.hasRemaining()) {
                channel.write(buffer);
              }
            });
    return new Staged() {
      @Override
      public void commit() {
        publish(key, tmp, target);
      }

      @Override
      public void abort() {
        deleteQuietly(tmp);
      }
    };
  }

  private interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /**
   * Writes {@code length} bytes held in an aligned buffer to a temporary file beside {@code
   * target}: whole blocks past the page cache, the last padded with zeros, then cut to length. When
   * that fails, writes them through the page cache instead, as this store does from then on when
   * the file system refused to open a file for it (ramfs, some FUSE file systems: "Invalid
   * argument"). A write that fails past the page cache (a full disk) does not turn it off: the same
   * write through the page cache fails as well and says why.
   */
  private Path writeDirect(String key, Path target, ByteBuffer copy, int length) {
    int padded = Aligned.padded(length);
    copy.put(Aligned.ZEROS, 0, padded - length).flip();
    Path tmp = tmpBeside(target);
    FileChannel opened = null;
    try {
      opened = create(tmp, com.sun.nio.file.ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(tmp); // a refused open may have made the file
      direct = false;
      LOG.info(
          "{}: the file system refuses writes past the page cache ({}); writing through it",
          root,
          e.toString());
    }
    if (opened != null) {
      try (FileChannel channel = opened) {
        while (copy.hasRemaining()) {
          channel.write(copy, copy.position());
        }
        channel.truncate(length);
        return tmp;
      } catch (IOException e) {
        deleteQuietly(tmp);
        LOG.info(
            "{}: writing {} past the page cache failed ({}); writing it through the page cache",
            root,
            key,
            e.toString());
      }
    }
    ByteBuffer content = copy.position(0).limit(length);
    return write(
        key,
        target,
        channel -> {
          while (content.hasRemaining()) {
            channel.write(content);
          }
        });
  }

  /**
   * Aligned buffers off the heap for objects written past the page cache, shared by every store in
   * the process: at most {@link #COUNT} of {@link #SIZE} bytes (a chunk compressed in the worst
   * case fits), made as needed.
   */
  private static final class Aligned {
    static final int ALIGN = 4096; // a disk block or a multiple of one
    static final int SIZE = (4 << 20) + (64 << 10);
    static final int COUNT = 8;
    static final byte[] ZEROS = new byte[ALIGN];
    private static final java.util.concurrent.BlockingQueue<ByteBuffer> FREE =
        new java.util.concurrent.ArrayBlockingQueue<>(COUNT);
    private static final java.util.concurrent.atomic.AtomicInteger UNMADE =
        new java.util.concurrent.atomic.AtomicInteger(COUNT);

    static int padded(int length) {
      return Math.max(ALIGN, (length + ALIGN - 1) & -ALIGN);
    }

    /**
     * A cleared buffer for {@code length} bytes, or null when they do not fit or none comes free
     * within a second (staged objects not yet committed hold them all).
     */
    static ByteBuffer take(int length) {
      if (padded(length) > SIZE) {
        return null;
      }
      ByteBuffer b = FREE.poll();
      if (b == null && UNMADE.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        b = ByteBuffer.allocateDirect(SIZE + ALIGN).alignedSlice(ALIGN);
      }
      try {
        if (b == null) {
          b = FREE.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return b == null ? null : b.clear();
    }

    static void give(ByteBuffer b) {
      FREE.add(b);
    }
  }

  /** Whether this store still writes staged objects past the page cache (for tests). */
  boolean writesPastThePageCache() {
    return direct;
  }

  /** Aligned buffers not held by a staged object (for tests). */
  static int alignedBuffersFree() {
    return Aligned.FREE.size() + Aligned.UNMADE.get();
  }

  /** Writes a temporary file beside the key's, syncs it and renames it into place. */
  private void write(String key, Content content) {
    Path target = path(key);
    publish(key, write(key, target, content), target);
  }

  /**
   * Syncs a written temporary file, renames it into place (removing it if that fails) and syncs the
   * directory, which makes the new name durable.
   */
  private void publish(String key, Path tmp, Path target) {
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
    try {
      syncNames(target.getParent());
    } catch (IOException e) {
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
  }

  /**
   * Makes the names in {@code dir} durable, and the first time in this process, the names of the
   * directories above it up to the root too (a directory made by a put, this one or another in
   * progress, is then durable before this put returns).
   */
  private void syncNames(Path dir) throws IOException {
    syncDirectory(dir);
    if (!durableDirs.contains(dir)) {
      for (Path d = dir; !d.equals(root); d = d.getParent()) {
        syncDirectory(d.getParent());
      }
      durableDirs.add(dir);
    }
  }

  /** Makes the names in {@code dir} durable (fsync of the directory). */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Writes {@code content} to a new temporary file beside {@code target}, not yet synced. */
  private Path write(String key, Path target, Content content) {
    Path tmp = tmpBeside(target);
    boolean written = false;
    try (FileChannel channel = create(tmp)) {
      try {
        content.writeTo(channel);
        written = true;
      } finally {
        if (!written) {
          deleteQuietly(tmp);
        }
      }
    } catch (IOException e) {
      throw new BlobStoreException("put " + key + " in " + root + ": " + e, true, e);
    }
    return tmp;
  }

  /** A name of our own: createTempFile draws from SecureRandom, a cost per chunk. */
  private static Path tmpBeside(Path target) {
    return target.resolveSibling(
        TMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /**
   * Creates {@code file}, and the directories above it when they are missing (made durable when the
   * file is published).
   */
  private static FileChannel create(Path file, java.nio.file.OpenOption... extra)
      throws IOException {
    var options =
        new java.util.HashSet<java.nio.file.OpenOption>(
            List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    options.addAll(List.of(extra));
    try {
      return FileChannel.open(file, options);
    } catch (NoSuchFileException e) {
      Files.createDirectories(file.getParent());
      return FileChannel.open(file, options);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically", e);
    }
  }

  @Override
  public Optional<InputStream> get(String key) {
    try {
      return Optional.of(Files.newInputStream(path(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BlobStoreException("get " + key + " from " + root + ": " + e, true, e);
    }
  }

  /** One read of a size known beforehand, where a stream would read in pieces and join them. */
  @Override
  public Optional<byte[]> getBytes(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(path(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    List<BlobInfo> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.getFileName().toString().startsWith(TMP_PREFIX)) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        String key = root.relativize(p).toString().replace('\\', '/');
        if (a.isRegularFile() && key.startsWith(prefix)) {
          out.add(new BlobInfo(key, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (IOException e) {
      throw new BlobStoreException("list " + root + ": " + e, true, e);
    }
    out.sort(Comparator.comparing(BlobInfo::key));
    return out;
  }

  @Override
  public void delete(String key) {
    Path p = path(key);
    try {
      Files.deleteIfExists(p);
      // Tidy empty directories up to the root; a concurrent put may refill one: that is fine.
      for (Path dir = p.getParent(); !dir.equals(root); dir = dir.getParent()) {
        Files.delete(dir);
        durableDirs.remove(dir); // made again, it is synced into its parent again
      }
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      // Still in use, or tidied by someone else.
    } catch (IOException e) {
      throw new BlobStoreException("delete " + key + " from " + root + ": " + e, true, e);
    }
  }

  @Override
  public String url() {
    return root.toUri().toString();
  }

  private Path path(String key) {
    return root.resolve(Keys.check(key));
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover .tmp- file is never listed and is overwritten by nothing: harmless.
    }
  }

  @Override
  public void close() {}
}
