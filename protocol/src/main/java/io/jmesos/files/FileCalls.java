package io.jmesos.files;

import io.jmesos.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.FileInfo;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's {@code LIST_FILES} and {@code READ_FILE} over attached files, as Mesos' {@code
 * FilesProcess::browse} and {@code read} answer them: a listing of {@code FileInfo} sorted by real path, or up to
 * 16 pages of a file with its size. Errors are Mesos': an inaccessible path 400 with the reason, an unknown one 404,
 * reading a directory 400, a file that cannot be opened 500. Blocking: run off actors and I/O threads.
 */
public final class FileCalls {
  private static final Logger LOG = LoggerFactory.getLogger(FileCalls.class);
  /** Mesos caps a read at 16 pages. */
  static final int MAX_READ = 16 * 4096;

  private FileCalls() {}

  /** Why a call failed, with the HTTP answer Mesos gives. */
  public static final class FileError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    FileError(int status, String message) {
      super(message);
      this.status = status;
    }

    public HttpResponse response() {
      return getMessage().isEmpty() ? HttpResponse.status(status) : HttpResponse.text(status, getMessage());
    }
  }

  /** What READ_FILE answers: the file's size and the bytes read. */
  public static final class Read {
    public final long size;
    public final byte[] data;

    Read(long size, byte[] data) {
      this.size = size;
      this.data = data;
    }
  }

  /**
   * {@code LIST_FILES} for {@code principal}: {@code 403} when the attachment's authorization refuses it (e.g. a
   * sandbox the access_sandboxes ACLs do not open to it), else as {@link #list(AttachedFiles, String)}.
   */
  public static List<FileInfo> list(AttachedFiles files, String path, Optional<String> principal)
      throws FileError {
    if (!files.authorized(path, principal)) {
      throw new FileError(403, "");
    }
    return list(files, path);
  }

  /** {@code READ_FILE} for {@code principal}: {@code 403} when refused, else as {@link #read}. */
  public static Read read(AttachedFiles files, String path, long offset, Long length, Optional<String> principal)
      throws FileError {
    if (!files.authorized(path, principal)) {
      throw new FileError(403, "");
    }
    return read(files, path, offset, length);
  }

  /** {@code LIST_FILES}: the entries of the directory at {@code path} (a file lists nothing, as Mesos). */
  public static List<FileInfo> list(AttachedFiles files, String path) throws FileError {
    Path dir = resolve(files, path);
    Map<String, FileInfo> listing = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        entries.forEach(entry -> {
          String virtual = path.endsWith("/") ? path + entry.getFileName() : path + "/" + entry.getFileName();
          try {
            listing.put(entry.toString(), fileInfo(virtual, entry));
          } catch (IOException e) {
            LOG.warn("Found {} in ls but stat failed: {}", entry, e.toString());
          }
        });
      } catch (IOException e) {
        LOG.warn("Failed to list {}: {}", dir, e.toString());
      }
    }
    return new ArrayList<>(listing.values());
  }

  /**
   * {@code READ_FILE}: from {@code offset}, {@code length} bytes (to the end when null), at most 16 pages; past
   * the end or with length 0 nothing is read. The size is the file's.
   */
  public static Read read(AttachedFiles files, String path, long offset, Long length) throws FileError {
    Path file = resolve(files, path);
    if (Files.isDirectory(file)) {
      throw new FileError(400, "Cannot read a directory.\n");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (offset >= size) {
        return new Read(size, new byte[0]);
      }
      long count = length == null ? size - offset : length;
      count = Math.min(count, MAX_READ);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, count));
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // Until the buffer is full or the file ends.
      }
      byte[] data = new byte[buffer.position()];
      System.arraycopy(buffer.array(), 0, data, 0, data.length);
      return new Read(size, data);
    } catch (NoSuchFileException e) {
      throw new FileError(404, "");
    } catch (IOException e) {
      String error = "Failed to open file at '" + file + "': " + e.getMessage();
      LOG.warn(error);
      throw new FileError(500, error + ".\n");
    }
  }

  private static Path resolve(AttachedFiles files, String path) throws FileError {
    AttachedFiles.Resolution resolved = files.resolve(path);
    if (resolved.error() != null) {
      throw new FileError(400, resolved.error() + ".\n");
    }
    if (resolved.path().isEmpty()) {
      throw new FileError(404, "");
    }
    return resolved.path().get();
  }

  /** Mesos' {@code createFileInfo}: what {@code stat} says, the mode with its file type bits, names for ids. */
  static FileInfo fileInfo(String virtualPath, Path file) throws IOException {
    PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class);
    Object nlink = Files.getAttribute(file, "unix:nlink");
    Object mode = Files.getAttribute(file, "unix:mode");
    return FileInfo.newBuilder()
        .setPath(virtualPath)
        .setNlink(nlink instanceof Number ? ((Number) nlink).intValue() : 1)
        .setSize(attrs.size())
        .setMtime(TimeInfo.newBuilder().setNanoseconds(attrs.lastModifiedTime().toMillis() / 1000 * 1_000_000_000L))
        .setMode(mode instanceof Number ? ((Number) mode).intValue() : 0)
        .setUid(attrs.owner().getName())
        .setGid(attrs.group().getName())
        .build();
  }
}
