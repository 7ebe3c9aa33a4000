package io.jmesos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jmesos.files.AttachedFiles;
import io.jmesos.files.FilesEndpoints;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.transport.Limits;
import io.jmesos.transport.TransportFuzzing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Request targets (URL path and query) through the server's HTTP pipeline, the router and the {@code /files}
 * endpoints over an attached sandbox, with a secret file next to it: any request target is answered (400 for a
 * URL that cannot be decoded, never a crash as Mesos' CVE-2017-7687), no answer is an internal error (a 500 is
 * only Mesos' answer to a path that leaves its directory), and nothing outside the sandbox is ever served.
 */
@Timeout(120)
class UrlPathFuzzTest {
  private static final String SECRET = "SECRET-6f1c";
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private static Path root;
  private static HttpRouter router;
  private static TransportFuzzing server;

  @BeforeAll
  static void setUp() throws IOException {
    FuzzSupport.quiet();
    root = Files.createTempDirectory("url-fuzz");
    Path sandbox = Files.createDirectories(root.resolve("sandbox/runs/latest"));
    Files.writeString(sandbox.resolve("stdout"), "hello from the task\n");
    Files.writeString(root.resolve("secret.txt"), SECRET);
    Files.createSymbolicLink(sandbox.resolve("escape"), root.resolve("secret.txt"));
    AttachedFiles files = new AttachedFiles();
    files.attach(root.resolve("sandbox"), "/sandbox");
    router = new HttpRouter()
        .route((req, resp) -> resp.respond(HttpResponse.json("{\"length\":" + req.path().length() + "}")),
            "/master/state", "/state")
        .routePrefix("/echo/", (req, resp) -> resp.respond(HttpResponse.text(200, "echo")));
    new FilesEndpoints(files, Runnable::run).routes().forEach((path, handler) -> router.route(handler, path));
    server = new TransportFuzzing(Limits.DEFAULT);
  }

  @AfterAll
  static void tearDown() throws IOException {
    FuzzSupport.restore();
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Input: the request target, as the bytes of the request line. */
  @FuzzTest(maxDuration = "10s")
  void target(byte[] data) {
    EmbeddedChannel channel = server.http(router);
    ByteBuf request = Unpooled.buffer();
    request.writeCharSequence("GET ", StandardCharsets.US_ASCII);
    request.writeBytes(data);
    request.writeCharSequence(" HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
    channel.writeInbound(request);
    channel.runPendingTasks();
    channel.checkException();
    String answers = outbound(channel);
    channel.finishAndReleaseAll();
    assertThat(answers).doesNotContain(SECRET);
    Matcher status = STATUS.matcher(answers);
    while (status.find()) {
      if (status.group(1).equals("500")) {
        assertThat(answers).doesNotContain("Failed to answer").doesNotContain("Internal error");
      }
    }
  }

  private static String outbound(EmbeddedChannel channel) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    WritableByteChannel sink = Channels.newChannel(all);
    Object out;
    while ((out = channel.readOutbound()) != null) {
      try {
        if (out instanceof ByteBuf) {
          ((ByteBuf) out).readBytes(all, ((ByteBuf) out).readableBytes());
        } else if (out instanceof FileRegion) {
          FileRegion region = (FileRegion) out;
          while (region.transferred() < region.count()) {
            region.transferTo(sink, region.transferred());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        io.netty.util.ReferenceCountUtil.release(out);
      }
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }
}
