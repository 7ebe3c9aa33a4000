package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.jmesos.http.HttpRouter;
import io.jmesos.internal.Messages.Envelope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the internal-protocol side of a {@link MesosServer} does to peers that behave as attackers would. */
@Timeout(30)
class HardenedInternalTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicLong maxBacklog = new AtomicLong();
  private MesosServer server;
  private InetSocketAddress address;

  private void start(Limits limits, boolean flood) throws Exception {
    ConnectionHandler handler = new ConnectionHandler() {
      @Override
      public void onConnect(Connection connection) {
        events.add("connect");
      }

      @Override
      public void onMessage(Connection connection, Envelope envelope) {
        events.add("message");
        // Answers with more than the peer reads: 1,000 envelopes of 10 KiB.
        for (int i = 0; flood && i < 1000 && connection.isOpen(); i++) {
          connection.send(Envelope.newBuilder().setType("flood").setPayload(ByteString.copyFrom(new byte[10240]))
              .build());
          maxBacklog.accumulateAndGet(connection.pendingBytes(), Math::max);
        }
      }

      @Override
      public void onDisconnect(Connection connection) {
        events.add("disconnect");
      }
    };
    server = new MesosServer("test", new InetSocketAddress("127.0.0.1", 0), new HttpRouter(), handler, limits);
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
    s.getOutputStream().write("JMI1".getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  @Test
  void closesAPeerThatSendsNoFrameAfterThePreamble() throws Exception {
    start(Limits.DEFAULT.withReadTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)), false);
    try (Socket s = connect()) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("disconnect"));
    assertThat(events).containsExactly("connect", "disconnect");
  }

  @Test
  void closesAPeerWhoseFrameStalls() throws Exception {
    start(Limits.DEFAULT.withReadTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)), false);
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) 0xe8, 0x07}); // a frame of 1,000 bytes, of which 10 come
      out.write(new byte[10]);
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 1000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 0);
    assertThat(events).doesNotContain("message");
  }

  @Test
  void closesAPeerWhoseFrameDoesNotFitInTheBytesInFlight() throws Exception {
    start(Limits.DEFAULT.withMaxBytesInFlight(1500), false);
    try (Socket first = connect(); Socket second = connect()) {
      first.getOutputStream().write(new byte[] {(byte) 0xe8, 0x07, 0, 0}); // 1,000 bytes announced, 2 sent
      await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 1000);
      second.getOutputStream().write(new byte[] {(byte) 0xe8, 0x07, 0, 0});
      assertThat(second.getInputStream().read()).isEqualTo(-1);
      assertThat(server.bytesInFlight()).isEqualTo(1000);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.bytesInFlight() == 0);
  }

  @Test
  void closesAPeerThatDoesNotReadWhatItIsSent() throws Exception {
    start(Limits.DEFAULT.withMaxOutboundBacklogBytes(1 << 20), true);
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(address);
      OutputStream out = s.getOutputStream();
      out.write("JMI1".getBytes(StandardCharsets.US_ASCII));
      byte[] ping = Envelope.newBuilder().setType("ping").setPayload(ByteString.EMPTY).build().toByteArray();
      out.write(ping.length);
      out.write(ping);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("disconnect"));
    }
    // Never more than the bound plus one envelope queued: not the 10 MiB sent.
    assertThat(maxBacklog.get()).isLessThan((1 << 20) + 20_000);
  }
}
