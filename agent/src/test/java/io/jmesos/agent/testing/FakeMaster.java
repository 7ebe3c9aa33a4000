package io.jmesos.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * An in-process stand-in for the master: accepts the agent's internal-protocol connection, records every
 * message it receives (thread-safe), and lets the test send messages back or drop the connection.
 */
public final class FakeMaster implements ConnectionHandler, AutoCloseable {
  private final MesosServer server;
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Connection> connection = new AtomicReference<>();
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private InetSocketAddress address;

  public FakeMaster() {
    this.server = new MesosServer("fake-master", new InetSocketAddress("127.0.0.1", 0),
        (request, responder) -> responder.respond(HttpResponse.status(404)), this, Limits.DEFAULT);
  }

  public InetSocketAddress start() throws InterruptedException {
    address = server.start();
    return address;
  }

  public InetSocketAddress address() {
    return address;
  }

  public String hostPort() {
    return address.getHostString() + ":" + address.getPort();
  }

  @Override
  public void onConnect(Connection c) {
    connection.set(c);
    connections.add(c);
  }

  @Override
  public void onMessage(Connection c, Envelope envelope) {
    received.add(envelope);
  }

  /** How many connections the agent has opened so far. */
  public int connectionCount() {
    return connections.size();
  }

  /** All received messages of the given type, parsed, oldest first. */
  @SuppressWarnings("unchecked")
  public <M extends Message> List<M> all(M type) {
    String name = type.getDescriptorForType().getFullName();
    return received.stream().filter(e -> e.getType().equals(name)).map(e -> {
      try {
        return (M) type.getParserForType().parseFrom(e.getPayload());
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }).collect(Collectors.toList());
  }

  public int count(Message type) {
    return all(type).size();
  }

  /** Waits until at least {@code n} messages of the type arrived; returns the n-th. */
  public <M extends Message> M await(M type, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(type) >= n);
    return all(type).get(n - 1);
  }

  /** Waits for the first message of the type that matches. */
  public <M extends Message> M awaitMatching(M type, java.util.function.Predicate<M> match) {
    AtomicReference<M> found = new AtomicReference<>();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (M m : all(type)) {
        if (match.test(m)) {
          found.set(m);
          return true;
        }
      }
      return false;
    });
    return found.get();
  }

  /** Sends to the agent's current connection. */
  public void send(Message message) {
    Connection c = connection.get();
    assertThat(c).as("agent connection").isNotNull();
    c.send(message);
  }

  /** Closes the agent's current connection. */
  public void dropConnection() {
    Connection c = connection.getAndSet(null);
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
