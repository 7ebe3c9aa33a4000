package io.jmesos.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.internal.state.StateProtos.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries in a local directory, one file per entry: {@code <sha-256 of the name, hex>.entry} holding the
 * serialized {@code mesos.internal.state.Entry} (the bytes Mesos' LevelDB storage keeps as the value), written to
 * a temporary file, synced and renamed over the old one, then the directory synced (Mesos writes LevelDB with
 * {@code sync}). The directory is created if missing and locked ({@value #LOCK}) while open, so one storage at a
 * time uses it, as LevelDB allows one open database. Not LevelDB: a directory holding a LevelDB database (a
 * {@code CURRENT} file) is refused, every operation failing with that error, rather than shown empty.
 *
 * <p>Operations run one at a time on the storage's thread, which also keeps the names in memory.
 */
public final class FileStorage extends SerialStorage {
  static final String LOCK = "jmesos-state.lock";
  private static final String SUFFIX = ".entry";
  private static final String TEMPORARY = ".tmp";
  private static final Logger LOG = LoggerFactory.getLogger(FileStorage.class);

  private final Path directory;
  // Confined to the storage's thread.
  private final Set<String> names = new TreeSet<>();
  private FileChannel lockChannel;
  private String error;

  /** Opens {@code directory} on the storage's thread: opening errors fail every operation. */
  public FileStorage(Path directory) {
    super("leveldb-state");
    this.directory = directory;
    submit(() -> {
      open();
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<Entry>> get(String name) {
    return run(() -> read(name));
  }

  @Override
  public CompletableFuture<Boolean> set(Entry entry, ByteString uuid) {
    return run(() -> {
      Optional<Entry> current = read(entry.getName());
      if (current.isPresent() && !current.get().getUuid().equals(uuid)) {
        return false;
      }
      write(entry);
      names.add(entry.getName());
      return true;
    });
  }

  @Override
  public CompletableFuture<Boolean> expunge(Entry entry) {
    return run(() -> {
      Optional<Entry> current = read(entry.getName());
      if (current.isEmpty() || !current.get().getUuid().equals(entry.getUuid())) {
        return false;
      }
      Files.delete(file(entry.getName()));
      syncDirectory();
      names.remove(entry.getName());
      return true;
    });
  }

  @Override
  public CompletableFuture<Set<String>> names() {
    return run(() -> new TreeSet<>(names));
  }

  @Override
  void closed() {
    if (lockChannel != null) {
      try {
        lockChannel.close(); // Releases the lock.
      } catch (IOException e) {
        LOG.warn("Failed to close {}", directory.resolve(LOCK), e);
      }
    }
  }

  private void open() {
    try {
      Files.createDirectories(directory);
      if (Files.exists(directory.resolve("CURRENT"))) {
        error = "'" + directory + "' holds a LevelDB database, which jmesos' LevelDBState cannot read";
        return;
      }
      Path lockFile = directory.resolve(LOCK);
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        error = "IO error: lock " + lockFile + ": already held by process";
        return;
      }
      load();
    } catch (IOException e) {
      error = "IO error: " + e;
    }
  }

  /** Reads the names of the entries and removes temporary files left by a crash. */
  private void load() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(TEMPORARY)) {
          Files.delete(file);
        } else if (fileName.endsWith(SUFFIX)) {
          try {
            names.add(Entry.parseFrom(Files.readAllBytes(file)).getName());
          } catch (InvalidProtocolBufferException e) {
            LOG.warn("Ignoring {}: not an Entry", file, e);
          }
        }
      }
    }
  }

  /** Runs {@code operation} on the storage's thread unless opening failed; I/O errors as LevelDB words them. */
  private <T> CompletableFuture<T> run(IoOperation<T> operation) {
    return submit(() -> {
      if (error != null) {
        throw new StorageException(error);
      }
      try {
        return operation.run();
      } catch (IOException e) {
        throw new StorageException("IO error: " + e, e);
      }
    });
  }

  private Optional<Entry> read(String name) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file(name));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(Entry.parseFrom(data));
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("Failed to deserialize Entry", e);
    }
  }

  private void write(Entry entry) throws IOException {
    Path file = file(entry.getName());
    Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(entry.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  private void syncDirectory() {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot sync directory {} on this platform", directory, e); // Linux can, Windows cannot.
    }
  }

  private Path file(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(digest.length * 2 + SUFFIX.length());
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return directory.resolve(hex.append(SUFFIX).toString());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  @FunctionalInterface
  private interface IoOperation<T> {
    T run() throws IOException;
  }
}
