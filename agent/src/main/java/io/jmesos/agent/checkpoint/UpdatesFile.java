package io.jmesos.agent.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's status update stream file ({@code task.updates}), as Mesos' task status update manager keeps it:
 * {@link StatusUpdateRecord}s (an update received, or the acknowledgement of one by uuid) appended one after
 * the other, each framed as {@link Checkpoints#writeMessage} frames a message and fsync'ed before
 * {@link #append} returns.
 *
 * <p>A crash in the middle of an append leaves a partial record at the end; {@link #read} (and recovery) cut
 * it off the file, as Mesos does, so the next append goes right after the last complete record. Open the
 * file for appending only after it was read.
 *
 * <p>Thread-safe: appends are serialized. {@link #read} must not run while the file is open for appending.
 */
public final class UpdatesFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpdatesFile.class);

  private final Path file;
  private final FileChannel channel;
  private boolean closed;

  private UpdatesFile(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens {@code file} for appending, creating it and its parent directories (durably) when missing. */
  public static UpdatesFile open(Path file) throws IOException {
    Path dir = Checkpoints.parentOf(file);
    Checkpoints.createDirectories(dir);
    boolean existed = Files.exists(file);
    FileChannel channel = FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (!existed) {
      try {
        Checkpoints.fsyncDirectory(dir);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }
    return new UpdatesFile(file, channel);
  }

  public Path file() {
    return file;
  }

  /**
   * Appends {@code record} and fsyncs the file. When the write fails the file is cut back to where the record
   * began, so a later append does not follow a partial record.
   *
   * @throws IllegalArgumentException for an UPDATE without its update or an ACK without its uuid
   * @throws IllegalStateException when closed
   */
  public synchronized void append(StatusUpdateRecord record) throws IOException {
    if (closed) {
      throw new IllegalStateException("Status updates file '" + file + "' is closed");
    }
    String invalid = invalid(record);
    if (invalid != null) {
      throw new IllegalArgumentException("Cannot append to '" + file + "': " + invalid);
    }
    ByteBuffer buffer = ByteBuffer.wrap(Checkpoints.frame(record));
    long start = channel.size();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      try {
        channel.truncate(start);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Failed to close status updates file '{}': {}", file, e.toString());
    }
  }

  /**
   * All complete records of {@code file}, in order; empty when it does not exist. A partial record at the end
   * (a crash mid-append) is cut off the file and is not an error.
   *
   * @throws CheckpointException naming the file, when a complete record does not parse (the file is then cut
   *     back to the records before it, as Mesos does) or the file cannot be read or truncated
   */
  public static List<StatusUpdateRecord> read(Path file) throws CheckpointException {
    Scan scan = scan(file);
    if (scan.error().isPresent()) {
      throw new CheckpointException(file, scan.error().get());
    }
    return scan.records();
  }

  /** The records read before the first corrupt one, and what was wrong with that one if any. */
  record Scan(List<StatusUpdateRecord> records, Optional<String> error) {
    Scan {
      records = List.copyOf(records);
    }
  }

  /**
   * Reads as Mesos' {@code TaskState::recover} does: every complete record up to a partial or corrupt one,
   * then truncates the file to the end of the last good record. A corrupt record is returned as an error with
   * the records before it (non-strict recovery keeps them); only I/O failures throw.
   */
  static Scan scan(Path file) throws CheckpointException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return new Scan(List.of(), Optional.empty());
    } catch (IOException e) {
      throw new CheckpointException(file, "'" + file + "' cannot be opened: " + e, e);
    }
    try (channel) {
      byte[] bytes = readAll(file, channel);
      List<StatusUpdateRecord> records = new ArrayList<>();
      String error = null;
      int offset = 0;
      while (offset < bytes.length) {
        int remaining = bytes.length - offset - Checkpoints.SIZE_BYTES;
        if (remaining < 0) {
          break;
        }
        long size = Integer.toUnsignedLong(
            ByteBuffer.wrap(bytes, offset, Checkpoints.SIZE_BYTES).order(Checkpoints.SIZE_ORDER).getInt());
        if (size > remaining) {
          break;
        }
        String problem;
        try {
          StatusUpdateRecord record =
              StatusUpdateRecord.parser().parseFrom(bytes, offset + Checkpoints.SIZE_BYTES, (int) size);
          problem = invalid(record);
          if (problem == null) {
            records.add(record);
            offset += Checkpoints.SIZE_BYTES + (int) size;
            continue;
          }
        } catch (InvalidProtocolBufferException e) {
          problem = "does not parse (" + e.getMessage() + ")";
        }
        error = "'" + file + "' is corrupt: record " + (records.size() + 1) + " at offset " + offset + " ("
            + size + " bytes) " + problem + "; the file is cut back to the " + records.size()
            + " records before it";
        break;
      }
      if (offset < bytes.length) {
        truncate(file, channel, offset);
        if (error == null) {
          LOG.info("Cut a partial record ({} bytes) off the end of status updates file '{}' after {} records",
              bytes.length - offset, file, records.size());
        }
      }
      return new Scan(records, Optional.ofNullable(error));
    } catch (IOException e) {
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException(file, "'" + file + "' cannot be read: " + e, e);
    }
  }

  /** Why a parsed record cannot be one of a stream, or null. */
  private static String invalid(StatusUpdateRecord record) {
    if (record.getType() == StatusUpdateRecord.Type.UPDATE && !record.hasUpdate()) {
      return "is an UPDATE without its update";
    }
    if (record.getType() == StatusUpdateRecord.Type.ACK && !record.hasUuid()) {
      return "is an ACK without its uuid";
    }
    return null;
  }

  private static byte[] readAll(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(file, "'" + file + "' is too large to read: " + size + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    int read = 0;
    while (read >= 0 && buffer.hasRemaining()) {
      read = channel.read(buffer);
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static void truncate(Path file, FileChannel channel, long size) throws CheckpointException {
    try {
      channel.truncate(size);
      channel.force(true);
    } catch (IOException e) {
      throw new CheckpointException(file, "'" + file + "' cannot be cut back to " + size + " bytes: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "UpdatesFile[" + file + "]";
  }
}
