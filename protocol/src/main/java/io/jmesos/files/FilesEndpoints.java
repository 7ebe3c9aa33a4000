package io.jmesos.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code /files} endpoints over a daemon's {@link AttachedFiles} (the agent's sandboxes and log, the
 * master's log): {@code browse} (a directory
 * listing as an array of {@code {path, nlink, size, mtime, mode, uid, gid}}), {@code read} ({@code {data,
 * offset}} for {@code offset}/{@code length}, offset -1 meaning the end of the file, at most 16 pages at a
 * time), {@code download} (the raw bytes, streamed from disk by the server) and {@code debug} (the attachments), each also with Mesos' older
 * {@code .json} suffix. A path the principal may not read (its attachment's authorization, e.g. access_sandboxes
 * ACLs) is 403, a missing {@code path} or a bad number 400, an unknown path 404, a path that
 * leaves its attached directory 400 (500 for browse, as Mesos).
 *
 * <p>Thread-safe: the handlers run their file-system work on the given blocking executor, never on a Netty
 * thread (a download's file is opened on the I/O thread that sends it).
 */
public final class FilesEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(FilesEndpoints.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Mesos caps one read at 16 pages. */
  static final int MAX_READ = 16 * 4096;
  private static final HttpResponse MISSING_PATH = HttpResponse.text(400, "Expecting 'path=value' in query.\n");

  private final AttachedFiles files;
  private final Executor blocking;

  public FilesEndpoints(AttachedFiles files, Executor blocking) {
    this.files = Objects.requireNonNull(files, "files");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
  }

  /** Every route, path to handler, as Mesos' master and agent install them under {@code /files}. */
  public Map<String, HttpHandler> routes() {
    Map<String, HttpHandler> routes = new TreeMap<>();
    for (String suffix : new String[] {"", ".json"}) {
      routes.put("/files/browse" + suffix, offload(this::browse));
      routes.put("/files/read" + suffix, offload(this::read));
      routes.put("/files/download" + suffix, offload(this::download));
      routes.put("/files/debug" + suffix, offload(this::debug));
    }
    return routes;
  }

  private HttpHandler offload(Function<HttpRequest, HttpResponse> handler) {
    return (request, responder) -> {
      try {
        blocking.execute(() -> answer(handler, request, responder));
      } catch (RejectedExecutionException e) {
        responder.respond(HttpResponse.text(503, "Shutting down"));
      }
    };
  }

  private static void answer(Function<HttpRequest, HttpResponse> handler, HttpRequest request,
      HttpResponder responder) {
    HttpResponse response;
    try {
      response = handler.apply(request);
    } catch (RuntimeException e) {
      LOG.error("Failed to answer {}", request, e);
      response = HttpResponse.text(500, "Failed to answer " + request.path() + ": " + e);
    }
    responder.respond(response);
  }

  /** The file or directory a request names, or the answer when there is none. */
  private static final class Target {
    private final Path path;
    private final HttpResponse failure;

    Target(Path path, HttpResponse failure) {
      this.path = path;
      this.failure = failure;
    }

    Path path() {
      return path;
    }

    HttpResponse failure() {
      return failure;
    }
  }

  /**
   * Resolves a virtual path: 403 when the principal may not read it (its attachment's authorization), a path
   * that leaves its attached directory is answered {@code escapeStatus} with
   * the reason (Mesos uses 500 for browse, 400 otherwise), an unknown one 404.
   */
  private Target target(HttpRequest request, String path, int escapeStatus) {
    if (!files.authorized(path, java.util.Optional.ofNullable(request.principal()))) {
      return new Target(null, HttpResponse.status(403));
    }
    AttachedFiles.Resolution resolved = files.resolve(path);
    if (resolved.error() != null) {
      return new Target(null, HttpResponse.text(escapeStatus, resolved.error() + ".\n"));
    }
    if (resolved.path().isEmpty()) {
      return new Target(null, HttpResponse.status(404));
    }
    return new Target(resolved.path().get(), null);
  }

  HttpResponse browse(HttpRequest request) {
    String path = request.param("path");
    if (path == null || path.isEmpty()) {
      return MISSING_PATH;
    }
    Target target = target(request, path, 500);
    if (target.failure() != null) {
      return target.failure();
    }
    java.util.List<org.apache.mesos.v1.Protos.FileInfo> listing;
    try {
      listing = FileCalls.list(files, path);
    } catch (FileCalls.FileError e) {
      return e.response(); // Gone since it was resolved.
    }
    ArrayNode array = JSON.arrayNode();
    listing.forEach(info -> array.add(json(info)));
    return HttpResponse.json(array.toString());
  }

  /** Mesos' {@code jsonFileInfo}: a listed entry with its mode as {@code ls} shows it, mtime in seconds. */
  static ObjectNode json(org.apache.mesos.v1.Protos.FileInfo info) {
    ObjectNode node = JSON.objectNode();
    node.put("path", info.getPath());
    node.put("nlink", (long) info.getNlink());
    node.put("size", info.getSize());
    node.put("mtime", info.getMtime().getNanoseconds() / 1_000_000_000L);
    int mode = info.getMode();
    int type = mode & 0170000;
    char kind = type == 0040000 ? 'd' : type == 0120000 ? 'l' : type == 0100000 ? '-' : '?';
    StringBuilder text = new StringBuilder().append(kind);
    String rwx = "rwxrwxrwx";
    for (int bit = 0; bit < 9; bit++) {
      text.append((mode & (0400 >> bit)) != 0 ? rwx.charAt(bit) : '-');
    }
    node.put("mode", text.toString());
    node.put("uid", info.getUid());
    node.put("gid", info.getGid());
    return node;
  }

  HttpResponse read(HttpRequest request) {
    String path = request.param("path");
    if (path == null || path.isEmpty()) {
      return MISSING_PATH;
    }
    long offset = -1;
    long length = -1;
    try {
      if (request.param("offset") != null) {
        offset = Long.parseLong(request.param("offset"));
      }
    } catch (NumberFormatException e) {
      return HttpResponse.text(400, "Failed to parse offset: Failed to convert '" + request.param("offset")
          + "' to number.\n");
    }
    try {
      if (request.param("length") != null) {
        length = Long.parseLong(request.param("length"));
      }
    } catch (NumberFormatException e) {
      return HttpResponse.text(400, "Failed to parse length: Failed to convert '" + request.param("length")
          + "' to number.\n");
    }
    if (offset < -1) {
      return HttpResponse.text(400, "Negative offset provided: " + offset + ".\n");
    }
    if (length < -1) {
      return HttpResponse.text(400, "Negative length provided: " + length + ".\n");
    }
    Target target = target(request, path, 400);
    if (target.failure() != null) {
      return target.failure();
    }
    Path file = target.path();
    if (Files.isDirectory(file)) {
      return HttpResponse.text(400, "Cannot read a directory.\n");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long start = offset == -1 ? size : offset;
      long count = length == -1 ? size - start : length;
      count = Math.max(0, Math.min(count, MAX_READ));
      ObjectNode node = JSON.objectNode();
      if (start >= size) {
        node.put("data", "");
        node.put("offset", size);
        return HttpResponse.json(node.toString());
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) count);
      while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
        // Reads until the buffer is full or the end of the file.
      }
      node.put("data", new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
      node.put("offset", start);
      return HttpResponse.json(node.toString());
    } catch (NoSuchFileException e) {
      return HttpResponse.status(404);
    } catch (IOException e) {
      String error = "Failed to open file at '" + file + "': " + e.getMessage();
      LOG.warn(error);
      return HttpResponse.text(500, error + ".\n");
    }
  }

  HttpResponse download(HttpRequest request) {
    String path = request.param("path");
    if (path == null || path.isEmpty()) {
      return MISSING_PATH;
    }
    Target target = target(request, path, 400);
    if (target.failure() != null) {
      return target.failure();
    }
    Path file = target.path();
    if (Files.isDirectory(file)) {
      return HttpResponse.text(400, "Cannot download a directory.\n");
    }
    // Streamed from disk by the server, whatever its size (a task's stdout can be gigabytes).
    return HttpResponse.file(200, "application/octet-stream", file)
        .withHeader("Content-Disposition", "attachment; filename=" + file.getFileName());
  }

  HttpResponse debug(HttpRequest request) {
    ObjectNode node = JSON.objectNode();
    files.snapshot().forEach((name, real) -> node.put(name, real.toString()));
    return HttpResponse.json(node.toString());
  }
}
