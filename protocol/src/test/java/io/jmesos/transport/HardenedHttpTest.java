package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the HTTP side of a {@link MesosServer} does to clients that behave as attackers would. */
@Timeout(30)
class HardenedHttpTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private MesosServer server;
  private InetSocketAddress address;
  private final CompletableFuture<Void> slowAnswer = new CompletableFuture<>();

  private void start(Limits limits) throws Exception {
    HttpRouter router = new HttpRouter()
        .route((req, resp) -> resp.respond(HttpResponse.text(200, "echo:" + req.bodyText())), "/echo")
        .route((req, resp) -> slowAnswer.thenRun(() -> resp.respond(HttpResponse.text(200, "slow"))), "/slow")
        .route((req, resp) -> resp.respond(HttpResponse.text(200, "x".repeat(4 << 20))), "/big");
    server = new MesosServer("test", new InetSocketAddress("127.0.0.1", 0), router, null,
        limits.withMaxHttpBodyBytes(8192));
    address = server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Everything the server sends until it closes the connection. */
  private static String readToEnd(Socket s) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] b = new byte[8192];
    int n;
    while ((n = in.read(b)) != -1) {
      buf.write(b, 0, n);
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void closesAConnectionWhoseRequestHeadIsNotCompleteInTime() throws Exception {
    start(Limits.DEFAULT.withReadTimeouts(SHORT, Duration.ofSeconds(30)));
    try (Socket s = connect()) {
      long start = System.nanoTime();
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Ty");
      assertThat(readToEnd(s)).startsWith("HTTP/1.1 408");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
  }

  @Test
  void closesAConnectionWhoseBodyStalls() throws Exception {
    start(Limits.DEFAULT.withReadTimeouts(Duration.ofSeconds(10), SHORT));
    try (Socket s = connect()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it");
      assertThat(readToEnd(s)).startsWith("HTTP/1.1 408");
    }
    assertThat(server.bytesInFlight()).isZero();
  }

  @Test
  void refusesAnOversizedBodyBeforeReadingIt() throws Exception {
    start(Limits.DEFAULT);
    try (Socket s = connect()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
      assertThat(readToEnd(s)).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void boundsTheBytesOfBodiesInFlightAcrossConnections() throws Exception {
    start(Limits.DEFAULT.withMaxBytesInFlight(6000));
    List<Socket> holding = new ArrayList<>();
    try {
      // Two bodies of 2,500 bytes, all but their last byte sent, are held: 4,998 bytes in flight.
      for (int i = 0; i < 2; i++) {
        Socket s = connect();
        holding.add(s);
        send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2500\r\n\r\n" + "a".repeat(2499));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 4998);
      // A third declaring as much does not fit: 503 and closed, and it holds nothing.
      try (Socket s = connect()) {
        send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2500\r\n\r\n");
        String answer = readToEnd(s);
        assertThat(answer).startsWith("HTTP/1.1 503").contains("Too many request bodies in flight");
      }
      assertThat(server.bytesInFlight()).isEqualTo(4998);
      // One of the held bodies completes: it is answered and its bytes are returned.
      send(holding.get(0), "a");
      assertThat(readResponse(holding.get(0))).startsWith("HTTP/1.1 200").endsWith("echo:" + "a".repeat(2500));
      await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 2499);
    } finally {
      for (Socket s : holding) {
        s.close();
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 0);
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    start(Limits.DEFAULT);
    try (Socket s = connect()) {
      send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
          + "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      slowAnswer.complete(null);
      String all = readToEnd(s);
      assertThat(all.indexOf("slow")).isPositive().isLessThan(all.indexOf("echo:hi"));
      assertThat(all.indexOf("echo:hi")).isLessThan(all.lastIndexOf("echo:"));
    }
  }

  @Test
  void answersAMalformedUrlWith400AndKeepsServing() throws Exception {
    start(Limits.DEFAULT);
    try (Socket s = connect()) {
      send(s, "GET /echo%zz%%/x%u HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 400").contains("Malformed URL");
      send(s, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void answersOversizedHeadersWith431AndLongUrlsWith414() throws Exception {
    start(Limits.DEFAULT);
    try (Socket s = connect()) {
      send(s, "GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
      assertThat(readToEnd(s)).startsWith("HTTP/1.1 431");
    }
    try (Socket s = connect()) {
      send(s, "GET /" + "u".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readToEnd(s)).startsWith("HTTP/1.1 414");
    }
  }

  @Test
  void closesIdleConnectionsOnlyWhenTheServerHoldsMany() throws Exception {
    // Idle for 2 s, not SHORT: on a busy machine the second connection must not go idle before its request.
    start(Limits.DEFAULT.withIdleTimeout(Duration.ofSeconds(2), 1).withMaxConnectionsPerPeer(0, false));
    try (Socket idle = connect()) {
      send(idle, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(idle)).startsWith("HTTP/1.1 200");
      try (Socket other = connect()) {
        // Two HTTP connections, more than the threshold of one: the first one idle goes, then the other is kept.
        send(other, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readResponse(other)).startsWith("HTTP/1.1 200");
        assertThat(idle.getInputStream().read()).isEqualTo(-1);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
            .until(() -> server.openConnections() == 1);
      }
    }
  }

  @Test
  void keepsIdleConnectionsWhileTheServerHoldsFew() throws Exception {
    start(Limits.DEFAULT.withIdleTimeout(SHORT, 10).withMaxConnectionsPerPeer(0, false));
    try (Socket idle = connect()) {
      send(idle, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(idle)).startsWith("HTTP/1.1 200");
      await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5))
          .until(() -> server.openConnections() == 1);
      send(idle, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(idle)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void closesAConnectionWhoseClientDoesNotReadItsResponse() throws Exception {
    start(Limits.DEFAULT.withWriteStallTimeout(SHORT));
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(address);
      send(s, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }
  }

  @Test
  void capsConnectionsPerPeer() throws Exception {
    start(Limits.DEFAULT);
    server.close();
    server = new MesosServer("test", new InetSocketAddress("127.0.0.1", 0), new HttpRouter(), null,
        Limits.DEFAULT.withMaxConnectionsPerPeer(3, false));
    address = server.start();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        sockets.add(connect());
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 3);
      try (Socket fourth = connect()) {
        assertThat(fourth.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(server.connectionsRefused()).isEqualTo(1);
      sockets.remove(0).close();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
      try (Socket again = connect()) {
        send(again, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readResponse(again)).startsWith("HTTP/1.1 404");
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** One response with a Content-Length body, leaving the connection open. */
  private static String readResponse(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Closed after " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
