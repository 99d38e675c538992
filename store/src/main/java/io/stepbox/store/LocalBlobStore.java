package io.stepbox.store;

import static io.stepbox.store.LocalFiles.TMP_PREFIX;
import static io.stepbox.store.LocalFiles.create;
import static io.stepbox.store.LocalFiles.deleteQuietly;
import static io.stepbox.store.LocalFiles.syncDirectory;
import static io.stepbox.store.LocalFiles.tmpBeside;
import static io.stepbox.store.LocalFiles.writeAll;

import io.stepbox.store.LocalFiles.Content;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final Path root;

  /**
   * Whether staged objects are written past the page cache (O_DIRECT), true until the file system
   * refuses. A chunk is written once and seldom read soon after, so caching it only costs, and on
   * these machines it costs a lot and unevenly: they are VMs whose freed memory goes back to the
   * host, and new page cache is memory the host must map again, so writing through the cache costs
   * several times the CPU of writing past it (docs/benchmarks.md has the figures).
   */
  private volatile boolean direct = true;

  private final DurablePuts puts;

  public LocalBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.puts = new DurablePuts(this.root);
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
    ByteBuffer copy = direct ? AlignedBuffers.take(length) : null;
    if (copy != null) {
      copy.put(data, offset, length);
      return new StagedCopy(key, target, copy, length);
    }
    Path tmp =
        puts.write(key, target, channel -> writeAll(channel, ByteBuffer.wrap(data, offset, length)));
    return new StagedFile(key, tmp, target);
  }

  /** An object held in an aligned buffer until it is committed (written) or dropped. */
  private final class StagedCopy implements Staged {
    private final AtomicBoolean done = new AtomicBoolean();
    private final String key;
    private final Path target;
    private final ByteBuffer copy;
    private final int length;

    StagedCopy(String key, Path target, ByteBuffer copy, int length) {
      this.key = key;
      this.target = target;
      this.copy = copy;
      this.length = length;
    }

    @Override
    public void commit() {
      if (!done.compareAndSet(false, true)) {
        throw new IllegalStateException("staged " + key + " was committed or dropped");
      }
      Path tmp;
      try {
        tmp = writeDirect(key, target, copy, length);
      } finally {
        AlignedBuffers.give(copy);
      }
      puts.publish(key, tmp, target);
    }

    @Override
    public void abort() {
      if (done.compareAndSet(false, true)) {
        AlignedBuffers.give(copy);
      }
    }
  }

  /** An object already in a temporary file, renamed into place on commit. */
  private final class StagedFile implements Staged {
    private final String key;
    private final Path tmp;
    private final Path target;

    StagedFile(String key, Path tmp, Path target) {
      this.key = key;
      this.tmp = tmp;
      this.target = target;
    }

    @Override
    public void commit() {
      puts.publish(key, tmp, target);
    }

    @Override
    public void abort() {
      deleteQuietly(tmp);
    }
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
    int padded = AlignedBuffers.padded(length);
    copy.put(AlignedBuffers.ZEROS, 0, padded - length).flip();
    Path tmp = tmpBeside(target);
    FileChannel opened = openDirect(tmp);
    if (opened != null && writeBlocks(key, tmp, opened, copy, length)) {
      return tmp;
    }
    ByteBuffer content = copy.position(0).limit(length);
    return puts.write(key, target, channel -> writeAll(channel, content));
  }

  /** Opens {@code tmp} past the page cache; null, and no such opens again, when refused. */
  private FileChannel openDirect(Path tmp) {
    try {
      return create(tmp, com.sun.nio.file.ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(tmp); // a refused open may have made the file
      direct = false;
      LOG.info(
          "{}: the file system refuses writes past the page cache ({}); writing through it",
          root,
          e.toString());
      return null;
    }
  }

  /** Writes the padded blocks and cuts the file to length; false (file removed) when it fails. */
  private boolean writeBlocks(
      String key, Path tmp, FileChannel opened, ByteBuffer copy, int length) {
    try (FileChannel channel = opened) {
      while (copy.hasRemaining()) {
        channel.write(copy, copy.position());
      }
      channel.truncate(length);
      return true;
    } catch (IOException e) {
      deleteQuietly(tmp);
      LOG.info(
          "{}: writing {} past the page cache failed ({}); writing it through the page cache",
          root,
          key,
          e.toString());
      return false;
    }
  }

  /** Whether this store still writes staged objects past the page cache (for tests). */
  boolean writesPastThePageCache() {
    return direct;
  }

  /** Aligned buffers not held by a staged object (for tests). */
  static int alignedBuffersFree() {
    return AlignedBuffers.free();
  }

  /** Writes a temporary file beside the key's, syncs it and renames it into place. */
  private void write(String key, Content content) {
    Path target = path(key);
    puts.publish(key, puts.write(key, target, content), target);
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
        puts.forget(dir);
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

  @Override
  public void close() {}
}
