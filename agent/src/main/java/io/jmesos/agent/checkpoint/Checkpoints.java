package io.jmesos.agent.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic checkpoint files, as Mesos' {@code state::checkpoint} with {@code sync}: the content goes to a
 * temporary file in the target's directory, which is fsync'ed and renamed over the target, then the directory
 * is fsync'ed; missing parent directories are created and each is made durable in its parent. A reader thus
 * sees the old content or the new one, never a mix, also after a crash.
 *
 * <p>A protobuf file is laid out as stout's {@code protobuf::write}: the message size as a 4-byte unsigned
 * integer in the host's byte order (little-endian on x86 and arm64), then the message bytes; Mesos' files read
 * with {@link #readMessage} and Mesos reads ours.
 *
 * <p>Temporary files and links are named {@code .<name>.<random>.tmp}: hidden, so the directory listings of
 * recovery (Mesos globs {@code *}) never take them for an id.
 *
 * <p>Static and thread-safe; concurrent writers of one file leave one of their contents.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  /** The byte order of the 4-byte size, as stout writes a {@code uint32_t} from memory. */
  static final ByteOrder SIZE_ORDER = ByteOrder.nativeOrder();
  static final int SIZE_BYTES = Integer.BYTES;

  private Checkpoints() {}

  /** Writes {@code message} (size, then bytes) atomically; it must have all its required fields. */
  public static void writeMessage(Path file, MessageLite message) throws IOException {
    writeAtomically(file, frame(message));
  }

  /**
   * Writes {@code messages} one after the other, each framed as {@link #writeMessage} frames one, atomically: the
   * layout of stout's {@code protobuf::write} of a {@code RepeatedPtrField} (Mesos' {@code resources.info}).
   */
  public static void writeMessages(Path file, List<? extends MessageLite> messages) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (MessageLite message : messages) {
      out.write(frame(message));
    }
    writeAtomically(file, out.toByteArray());
  }

  /**
   * Reads a file of framed messages written by {@link #writeMessages} or by Mesos, up to its end; empty when the
   * file does not exist.
   *
   * @throws CheckpointException naming the file, when a record is truncated or does not parse
   */
  public static <T extends MessageLite> List<T> readMessages(Path file, Parser<T> parser) throws CheckpointException {
    Optional<byte[]> read = readBytes(file);
    List<T> messages = new ArrayList<>();
    if (read.isEmpty()) {
      return messages;
    }
    byte[] bytes = read.get();
    int offset = 0;
    while (offset < bytes.length) {
      if (bytes.length - offset < SIZE_BYTES) {
        throw new CheckpointException(file, "'" + file + "' is truncated: " + (bytes.length - offset)
            + " bytes at offset " + offset + ", less than the 4-byte message size");
      }
      long size = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, offset, SIZE_BYTES).order(SIZE_ORDER).getInt());
      long available = bytes.length - offset - SIZE_BYTES;
      if (size > available) {
        throw new CheckpointException(file, "'" + file + "' is truncated: a message of " + size
            + " bytes but " + available + " bytes follow its size at offset " + offset);
      }
      try {
        messages.add(parser.parseFrom(bytes, offset + SIZE_BYTES, (int) size));
      } catch (InvalidProtocolBufferException e) {
        throw new CheckpointException(file, "'" + file + "' is corrupt: the " + size + "-byte message at offset "
            + offset + " does not parse (" + e.getMessage() + ")", e);
      }
      offset += SIZE_BYTES + (int) size;
    }
    return messages;
  }

  /** Writes one record of already serialized message bytes, framed as {@link #writeMessage} frames one. */
  public static void writeFrame(Path file, byte[] body) throws IOException {
    writeAtomically(file, ByteBuffer.allocate(SIZE_BYTES + body.length).order(SIZE_ORDER).putInt(body.length)
        .put(body).array());
  }

  /**
   * The bytes of the one message of a file written by {@link #writeFrame} (or {@link #writeMessage}); empty when the
   * file does not exist or is empty.
   *
   * @throws CheckpointException naming the file, when it is truncated
   */
  public static Optional<byte[]> readFrame(Path file) throws CheckpointException {
    Optional<byte[]> read = readBytes(file);
    if (read.isEmpty() || read.get().length == 0) {
      return Optional.empty();
    }
    byte[] bytes = read.get();
    if (bytes.length < SIZE_BYTES) {
      throw new CheckpointException(file, "'" + file + "' is truncated: " + bytes.length
          + " bytes, less than the 4-byte message size");
    }
    long size = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 0, SIZE_BYTES).order(SIZE_ORDER).getInt());
    if (size > bytes.length - SIZE_BYTES) {
      throw new CheckpointException(file, "'" + file + "' is truncated: a message of " + size
          + " bytes but " + (bytes.length - SIZE_BYTES) + " bytes follow its size");
    }
    return Optional.of(java.util.Arrays.copyOfRange(bytes, SIZE_BYTES, SIZE_BYTES + (int) size));
  }

  /** Renames {@code from} over {@code to} atomically, then fsyncs the directory (Mesos' commit of a target file). */
  public static void rename(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(parentOf(to));
  }

  /** Writes {@code text} (UTF-8, as it is) atomically. */
  public static void writeText(Path file, String text) throws IOException {
    writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates (or replaces) {@code file} as an empty marker, atomically. */
  public static void touch(Path file) throws IOException {
    writeAtomically(file, new byte[0]);
  }

  /**
   * Reads a protobuf file written by {@link #writeMessage} or by Mesos. Empty when the file does not exist
   * or is empty (Mesos' {@code None}: the host went down after the file was created but before its data was
   * synced). Bytes after the message are ignored, as stout does.
   *
   * @throws CheckpointException naming the file, when it cannot be read, is shorter than its size says
   *     (truncated) or does not parse
   */
  public static <T extends MessageLite> Optional<T> readMessage(Path file, Parser<T> parser)
      throws CheckpointException {
    Optional<byte[]> read = readBytes(file);
    if (read.isEmpty() || read.get().length == 0) {
      return Optional.empty();
    }
    byte[] bytes = read.get();
    if (bytes.length < SIZE_BYTES) {
      throw new CheckpointException(file, "'" + file + "' is truncated: " + bytes.length
          + " bytes, less than the 4-byte message size");
    }
    long size = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 0, SIZE_BYTES).order(SIZE_ORDER).getInt());
    long available = bytes.length - SIZE_BYTES;
    if (size > available) {
      throw new CheckpointException(file, "'" + file + "' is truncated: a message of " + size
          + " bytes but " + available + " bytes follow its size");
    }
    try {
      return Optional.of(parser.parseFrom(bytes, SIZE_BYTES, (int) size));
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(file, "'" + file + "' is corrupt: its " + size
          + "-byte message does not parse (" + e.getMessage() + ")", e);
    }
  }

  /** Reads a text file (UTF-8); empty when it does not exist. */
  public static Optional<String> readText(Path file) throws CheckpointException {
    return readBytes(file).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * Points the symlink {@code link} at {@code target}, replacing an existing link atomically: a new link is
   * created under a temporary name beside it and renamed over it, then the directory is fsync'ed.
   */
  public static void symlink(Path link, Path target) throws IOException {
    Path dir = parentOf(link);
    createDirectories(dir);
    Path temp = dir.resolve(tempName(link));
    Files.createSymbolicLink(temp, target);
    try {
      Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
    fsyncDirectory(dir);
  }

  /**
   * Removes {@code path} and everything under it; symlinks are removed, never followed. Nothing happens when
   * it does not exist.
   */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
    fsyncDirectory(parentOf(path));
  }

  /** The 4-byte size in the host's order, then the message: one record of a protobuf file. */
  static byte[] frame(MessageLite message) {
    if (!message.isInitialized()) {
      String missing = message instanceof MessageOrBuilder m ? m.getInitializationErrorString() : "?";
      throw new IllegalArgumentException("Cannot checkpoint a message missing required fields: " + missing);
    }
    byte[] body = message.toByteArray();
    return ByteBuffer.allocate(SIZE_BYTES + body.length).order(SIZE_ORDER).putInt(body.length).put(body).array();
  }

  /** The non-hidden entries of {@code dir}, sorted; empty when it does not exist (Mesos' glob of {@code *}). */
  static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".")) {
          names.add(name);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    Collections.sort(names);
    return names;
  }

  /** Creates {@code dir} and its missing parents, fsync'ing the parent of each directory created. */
  static void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return;
    }
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    Files.createDirectories(abs);
    for (Path created : missing) {
      fsyncDirectory(created.getParent());
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static Path parentOf(Path file) {
    return file.toAbsolutePath().getParent();
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = parentOf(file);
    createDirectories(dir);
    Path temp = dir.resolve(tempName(file));
    boolean renamed = false;
    try {
      createPrivateFile(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      renamed = true;
    } finally {
      if (!renamed) {
        deleteQuietly(temp);
      }
    }
    fsyncDirectory(dir);
  }

  /**
   * Creates {@code file} readable by its owner only, as Mesos' {@code mktemp} does: checkpoints may hold
   * secrets (e.g. a task's environment).
   */
  private static void createPrivateFile(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }

  private static String tempName(Path file) {
    return "." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
  }

  private static Optional<byte[]> readBytes(Path file) throws CheckpointException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CheckpointException(file, "'" + file + "' cannot be read: " + e, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("Failed to remove temporary checkpoint file '{}': {}", path, e.toString());
    }
  }
}
