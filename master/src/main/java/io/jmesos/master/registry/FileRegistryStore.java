package io.jmesos.master.registry;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.internal.RegistryProtos.Registry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in one file, {@code <work_dir>/registry/registry.bin} (see {@link FileRegistryEnvelope}), for a
 * master without {@code --zk}.
 *
 * <p>A store writes {@code registry.bin.tmp}, forces it to disk, renames it over {@code registry.bin} atomically
 * and forces the directory, so a crash leaves either the old or the new registry (and maybe a temporary file, which
 * is ignored and deleted). A corrupt file fails the fetch with an {@link IOException} naming it, never an empty
 * registry.
 *
 * <p>Only one store may be open on a work directory: it holds an exclusive lock on {@code registry/lock} (with the
 * holder's pid in it) until {@link #close}, and a second one fails with "Another master holds ...". Fencing is
 * still checked for a file changed behind the lock's back (an operator restoring a copy, a lock the file system
 * does not honour): the file's generation, size and modification time must be what this store last read or wrote.
 * Used from one thread (see {@link RegistryStore}).
 */
public final class FileRegistryStore implements RegistryStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileRegistryStore.class);
  /**
   * Lock files held in this JVM. Checked before opening a lock file: on POSIX systems closing any descriptor of a
   * file drops every lock the process holds on it, so a second store must not even open it.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final Path file;
  private final Path temp;
  private final Path lockFile;
  private final FileChannel lockChannel;

  /** The file as this store last read or wrote it; null before the first fetch. */
  private Stamp seen;
  private boolean closed;

  /** What identifies a version of the file; an absent file has generation 0 and no size. */
  private record Stamp(long generation, long size, FileTime modified) {
    static final Stamp ABSENT = new Stamp(0, -1, null);

    @Override
    public String toString() {
      return size < 0 ? "absent" : "generation " + generation + ", " + size + " bytes, modified "
          + modified;
    }
  }

  /** Opens the registry in {@code workDir}, creating {@code registry/} if needed, and locks it. */
  public FileRegistryStore(Path workDir) throws IOException {
    Path dir = requireNonNull(workDir, "workDir").resolve("registry");
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (!existed) {
      forceDirectory(dir.toAbsolutePath().getParent());
    }
    this.directory = dir.toRealPath();
    this.file = directory.resolve("registry.bin");
    this.temp = directory.resolve("registry.bin.tmp");
    this.lockFile = directory.resolve("lock");
    this.lockChannel = lock(lockFile);
    if (Files.deleteIfExists(temp)) {
      LOG.info("Deleted {} left by an interrupted store", temp);
    }
  }

  private static FileChannel lock(Path lockFile) throws IOException {
    if (!HELD.add(lockFile)) {
      throw new IOException("Another master holds " + lockFile + " (in this process): only one master may use "
          + "the registry in " + lockFile.getParent());
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, CREATE, READ, WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
        throw new IOException("Another master holds " + lockFile + (holder.isEmpty() ? "" : " (" + holder + ")")
            + ": only one master may use the registry in " + lockFile.getParent());
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.UTF_8)));
      return channel;
    } catch (IOException | RuntimeException e) {
      HELD.remove(lockFile);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
  }

  @Override
  public Registry fetch() throws IOException {
    ensureOpen();
    byte[] bytes;
    FileTime modified;
    try {
      bytes = Files.readAllBytes(file);
      modified = Files.getLastModifiedTime(file);
    } catch (NoSuchFileException e) {
      seen = Stamp.ABSENT;
      LOG.info("Fetched an empty registry from {} (no file yet)", file);
      return Registry.getDefaultInstance();
    }
    FileRegistryEnvelope.Contents contents = FileRegistryEnvelope.decode(bytes, file);
    Registry registry;
    try {
      registry = Registry.parseFrom(contents.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("Corrupt registry file " + file + ": its checksum matches but it holds no Registry ("
          + e.getMessage() + ")", e);
    }
    seen = new Stamp(contents.generation(), bytes.length, modified);
    LOG.info("Fetched registry generation {} from {} ({} agents, {} bytes)", contents.generation(), file,
        ZooKeeperRegistryShards.agents(registry), bytes.length);
    return registry;
  }

  @Override
  public void store(Registry registry) throws IOException, FencedException {
    requireNonNull(registry, "registry");
    ensureOpen();
    if (seen == null) {
      throw new IllegalStateException("The registry in " + file + " must be fetched before it is stored");
    }
    Stamp current = current();
    if (!current.equals(seen)) {
      throw new FencedException("The registry file " + file + " was written by someone else: it is now "
          + current + ", this master last saw it " + seen);
    }
    long generation = seen.generation() + 1;
    byte[] bytes = FileRegistryEnvelope.encode(generation, registry.toByteArray());
    try (FileChannel channel = FileChannel.open(temp, CREATE, TRUNCATE_EXISTING, WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(directory);
    seen = new Stamp(generation, bytes.length, Files.getLastModifiedTime(file));
    LOG.debug("Stored registry generation {} in {} ({} bytes)", generation, file, bytes.length);
  }

  /** The file's stamp as it is on disk now, reading only its header. */
  private Stamp current() throws IOException {
    try (FileChannel channel = FileChannel.open(file, READ)) {
      ByteBuffer header = ByteBuffer.allocate(FileRegistryEnvelope.HEADER_BYTES);
      while (header.hasRemaining()) {
        if (channel.read(header) < 0) {
          break;
        }
      }
      long generation = FileRegistryEnvelope.generation(Arrays.copyOf(header.array(), header.position()), file);
      return new Stamp(generation, channel.size(), Files.getLastModifiedTime(file));
    } catch (NoSuchFileException e) {
      return Stamp.ABSENT;
    }
  }

  /** Makes a rename or creation in {@code dir} durable, where the platform lets a directory be forced. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("Directory {} cannot be forced to disk on this platform: {}", dir, e.toString());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The registry store " + file + " is closed");
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  /** Releases the lock; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("Registry lock {} could not be closed: {}", lockFile, e.toString());
    } finally {
      HELD.remove(lockFile);
    }
  }
}
