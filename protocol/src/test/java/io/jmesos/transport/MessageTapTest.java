package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpRouter;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Taps on both ends of an internal connection: held, dropped and repeated envelopes. */
@Timeout(30)
class MessageTapTest {
  private final List<String> serverSaw = new CopyOnWriteArrayList<>();
  private final List<String> clientSaw = new CopyOnWriteArrayList<>();
  private MesosServer server;
  private MessageClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Connection connect(MessageTap serverTap, MessageTap clientTap) throws Exception {
    ConnectionHandler internal = (connection, envelope) -> serverSaw.add(envelope.getType());
    server = new MesosServer("tapped", new InetSocketAddress("127.0.0.1", 0), new HttpRouter(), internal,
        Limits.DEFAULT, serverTap);
    InetSocketAddress address = server.start();
    client = new MessageClient("tapped", Limits.DEFAULT, (c, e) -> clientSaw.add(e.getType()), clientTap);
    return client.connect(address).get(10, TimeUnit.SECONDS);
  }

  @Test
  void anInboundEnvelopeHeldByTheTapIsDeliveredWhenReleasedFromAnotherThread() throws Exception {
    AtomicReference<Runnable> held = new AtomicReference<>();
    MessageTap holdPings = new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        if (envelope.getType().endsWith("PingSlaveMessage") && held.get() == null) {
          held.set(deliver);
        } else {
          deliver.run();
        }
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        send.run();
      }
    };
    Connection c = connect(holdPings, MessageTap.NONE);
    c.send(PingSlaveMessage.getDefaultInstance());
    c.send(PongSlaveMessage.getDefaultInstance());
    await().atMost(Duration.ofSeconds(10)).until(() -> serverSaw.size() == 1);
    assertThat(serverSaw).containsExactly("jmesos.internal.PongSlaveMessage");

    held.get().run(); // from the test thread: delivered on the connection's I/O thread
    await().atMost(Duration.ofSeconds(10)).until(() -> serverSaw.size() == 2);
    assertThat(serverSaw).containsExactly("jmesos.internal.PongSlaveMessage", "jmesos.internal.PingSlaveMessage");
  }

  @Test
  void anOutboundTapDropsOrRepeatsWhatItIsGiven() throws Exception {
    MessageTap dropPingsRepeatPongs = new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        deliver.run();
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        if (envelope.getType().endsWith("PongSlaveMessage")) {
          send.run();
          send.run();
        }
      }
    };
    Connection c = connect(MessageTap.NONE, dropPingsRepeatPongs);
    assertThat(c.localAddress()).isNotNull();
    c.send(PingSlaveMessage.getDefaultInstance());
    c.send(PongSlaveMessage.getDefaultInstance());
    await().atMost(Duration.ofSeconds(10)).until(() -> serverSaw.size() == 2);
    assertThat(serverSaw).containsExactly("jmesos.internal.PongSlaveMessage", "jmesos.internal.PongSlaveMessage");
  }

  @Test
  void aDeliveryAfterTheDisconnectionIsDropped() throws Exception {
    CompletableFuture<Runnable> held = new CompletableFuture<>();
    AtomicReference<Connection> serverSide = new AtomicReference<>();
    MessageTap holdAll = new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        serverSide.set(connection);
        held.complete(deliver);
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        send.run();
      }
    };
    List<String> events = new CopyOnWriteArrayList<>();
    ConnectionHandler recording = new ConnectionHandler() {
      @Override
      public void onMessage(Connection connection, Envelope envelope) {
        events.add("message");
      }

      @Override
      public void onDisconnect(Connection connection) {
        events.add("disconnect");
      }
    };
    server = new MesosServer("tapped", new InetSocketAddress("127.0.0.1", 0), new HttpRouter(), recording,
        Limits.DEFAULT, holdAll);
    InetSocketAddress address = server.start();
    client = new MessageClient("tapped", Limits.DEFAULT, (c, e) -> { });
    Connection c = client.connect(address).get(10, TimeUnit.SECONDS);
    c.send(PingSlaveMessage.getDefaultInstance());
    Runnable deliver = held.get(10, TimeUnit.SECONDS);
    c.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("disconnect"));

    deliver.run();
    // The late delivery is queued on the connection's I/O thread; a task queued after it runs after it.
    CompletableFuture<Void> barrier = new CompletableFuture<>();
    serverSide.get().execute(() -> barrier.complete(null));
    barrier.get(10, TimeUnit.SECONDS);
    assertThat(events).containsExactly("disconnect");
  }
}
