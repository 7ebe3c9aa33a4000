package io.jmesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A persistent connection: opened first, requests one after the other on it, told when it breaks. */
@Timeout(20)
class HttpConnectionTest {

  /** Collects one response: its status and body, completing at its end (or failing if the connection broke). */
  private static final class Collector implements HttpClient.StreamListener {
    final CompletableFuture<String> done = new CompletableFuture<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile int status;

    @Override
    public void onHeaders(int status, Map<String, String> headers) {
      this.status = status;
    }

    @Override
    public void onData(byte[] chunk) {
      body.write(chunk, 0, chunk.length);
    }

    @Override
    public void onClosed(Throwable cause) {
      if (cause == null) {
        done.complete(status + " " + body.toString(StandardCharsets.UTF_8));
      } else {
        done.completeExceptionally(cause);
      }
    }
  }

  @Test
  void requestsGoOneAfterTheOtherOnOneConnectionUntilItBreaks() throws Exception {
    AtomicInteger served = new AtomicInteger();
    HttpRouter router = new HttpRouter().route((request, responder) -> responder.respond(
        HttpResponse.text(request.path().endsWith("missing") ? 404 : 200, "answer " + served.incrementAndGet())),
        "/a", "/missing");
    MesosServer server = new MesosServer("http-connection-test", new InetSocketAddress("127.0.0.1", 0), router,
        null, Limits.DEFAULT);
    InetSocketAddress address = server.start();
    try (HttpClient client = new HttpClient("http-connection-test")) {
      HttpConnection connection = client.connect(address).get(5, TimeUnit.SECONDS);
      assertThat(connection.target()).isEqualTo(address);
      Collector first = new Collector();
      Collector second = new Collector();
      connection.stream("GET", "/missing", Map.of(), new byte[0], first);
      connection.stream("GET", "/a", Map.of(), new byte[0], second);
      assertThat(first.done.get(5, TimeUnit.SECONDS)).isEqualTo("404 answer 1");
      assertThat(second.done.get(5, TimeUnit.SECONDS)).isEqualTo("200 answer 2");
      assertThat(connection.disconnected()).isNotDone();

      server.close();
      connection.disconnected().get(5, TimeUnit.SECONDS);
      Collector late = new Collector();
      connection.stream("GET", "/a", Map.of(), new byte[0], late);
      assertThatThrownBy(() -> late.done.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
      assertThatThrownBy(() -> client.connect(address).get(5, TimeUnit.SECONDS)).isNotNull();
    } finally {
      server.close();
    }
  }
}
