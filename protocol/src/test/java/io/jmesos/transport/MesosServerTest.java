package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MesosServerTest {
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private MesosServer server;
  private InetSocketAddress address;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    HttpRouter router = new HttpRouter()
        .route((req, resp) -> resp.respond(HttpResponse.text(200, "echo:" + req.bodyText())), "/echo")
        .route((req, resp) -> {
          var stream = resp.stream(200, Map.of("Content-Type", "text/plain"));
          stream.send("one".getBytes(StandardCharsets.UTF_8));
          stream.send("two".getBytes(StandardCharsets.UTF_8));
          stream.close();
        }, "/stream");
    ConnectionHandler internal = new ConnectionHandler() {
      @Override
      public void onConnect(Connection connection) {
        events.add("connect");
      }

      @Override
      public void onMessage(Connection connection, Envelope envelope) {
        received.add(envelope);
        connection.send(PongSlaveMessage.getDefaultInstance());
      }

      @Override
      public void onDisconnect(Connection connection) {
        events.add("disconnect");
      }
    };
    server = new MesosServer("test", new InetSocketAddress("127.0.0.1", 0), router, internal,
        Limits.DEFAULT.withMaxHttpBodyBytes(1024).withMaxFrameBytes(1024).withIdentifyTimeout(Duration.ofMillis(300)));
    address = server.start();
    http = new HttpClient("test");
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  @Test
  void servesHttpOnTheSharedPort() throws Exception {
    HttpResponse r = http.post(address, "/echo", "text/plain", "hi".getBytes(StandardCharsets.UTF_8), Map.of())
        .get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("echo:hi");
    // The pooled keep-alive connection is reused for a second request.
    assertThat(http.get(address, "/nowhere").get(10, TimeUnit.SECONDS).status()).isEqualTo(404);
  }

  @Test
  void carriesInternalMessagesBothWays() throws Exception {
    List<Envelope> replies = new CopyOnWriteArrayList<>();
    try (MessageClient client = new MessageClient("agent", Limits.DEFAULT, (c, e) -> replies.add(e))) {
      Connection c = client.connect(address).get(10, TimeUnit.SECONDS);
      c.send(PingSlaveMessage.newBuilder().setConnected(true).build());
      await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
      assertThat(received).hasSize(1);
      assertThat(received.get(0).getType()).isEqualTo("jmesos.internal.PingSlaveMessage");
      assertThat(PingSlaveMessage.parseFrom(received.get(0).getPayload()).getConnected()).isTrue();
      assertThat(replies.get(0).getType()).isEqualTo("jmesos.internal.PongSlaveMessage");
      c.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("disconnect"));
    }
  }

  @Test
  void answersGarbageWith400AndKeepsServing() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0x00, (byte) 0xff, 0x13, 0x37, 0x42, 0x42, 0x42, 0x42});
      out.flush();
      String reply = new String(readAll(s.getInputStream()), StandardCharsets.US_ASCII);
      assertThat(reply).startsWith("HTTP/1.1 400").contains("Unrecognized protocol");
    }
    assertThat(http.get(address, "/echo").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void dropsConnectionsThatNeverFinishTheirFirstWordButNotQuietStreams() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.getOutputStream().write("GE".getBytes(StandardCharsets.US_ASCII)); // a prefix of "GET ", then silence
      s.getOutputStream().flush();
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server, not by our read timeout
    }
    // An identified internal connection may then stay silent past the identification timeout.
    try (MessageClient client = new MessageClient("agent", Limits.DEFAULT, (c, e) -> { })) {
      Connection c = client.connect(address).get(10, TimeUnit.SECONDS);
      await().pollDelay(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(c.isOpen()).isTrue();
      assertThat(events).doesNotContain("disconnect");
    }
  }

  @Test
  void refusesOversizedBodiesWith413() throws Exception {
    HttpResponse r = http.post(address, "/echo", "text/plain", new byte[4096], Map.of())
        .get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(413);
    assertThat(http.get(address, "/echo").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void closesInternalConnectionsThatSendOversizedFrames() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write("JMI1".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {(byte) 0x80, (byte) 0x80, 0x40}); // varint 1 MiB > 1 KiB limit
      out.flush();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server
    }
    assertThat(received).isEmpty();
    assertThat(http.get(address, "/echo").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void streamsChunks() {
    List<String> chunks = new CopyOnWriteArrayList<>();
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    List<Object> ends = new CopyOnWriteArrayList<>();
    http.stream(address, "GET", "/stream", Map.of(), new byte[0], new HttpClient.StreamListener() {
      @Override
      public void onHeaders(int status, Map<String, String> headers) {
        statuses.add(status);
      }

      @Override
      public void onData(byte[] chunk) {
        chunks.add(new String(chunk, StandardCharsets.UTF_8));
      }

      @Override
      public void onClosed(Throwable cause) {
        ends.add(cause == null ? "clean" : cause);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> !ends.isEmpty());
    assertThat(statuses).containsExactly(200);
    assertThat(String.join("", chunks)).isEqualTo("onetwo");
    assertThat(ends).containsExactly("clean");
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[1024];
    int n;
    while ((n = in.read(b)) != -1) {
      buf.write(b, 0, n);
    }
    return buf.toByteArray();
  }
}
