package io.jmesos.master.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MessageClient;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * An agent that speaks the internal protocol by hand: registers, records every message the master sends and
 * lets a test answer. Thread-safe; messages arrive on the client's I/O thread into a queue.
 */
public final class FakeAgent implements AutoCloseable {
  private final MessageClient client;
  private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
  private volatile boolean disconnected;
  private Connection connection;
  private SlaveID id;

  public FakeAgent() {
    client = new MessageClient("fake-agent", Limits.DEFAULT, new ConnectionHandler() {
      @Override
      public void onConnect(Connection c) {}

      @Override
      public void onMessage(Connection c, Envelope envelope) {
        inbox.add(envelope);
      }

      @Override
      public void onDisconnect(Connection c) {
        disconnected = true;
      }
    });
  }

  public void connect(InetSocketAddress master) throws Exception {
    connection = client.connect(master).get(10, TimeUnit.SECONDS);
  }

  /** Connects, registers with {@code resources} and waits for SlaveRegisteredMessage. */
  public SlaveRegisteredMessage register(InetSocketAddress master, String resources) throws Exception {
    connect(master);
    send(RegisterSlaveMessage.newBuilder()
        .setSlave(SlaveInfo.newBuilder().setHostname("fake-host").setPort(5051)
            .addAllResources(Resources.parse(resources, "*").toList()))
        .setVersion("1.11.0")
        .setPid("127.0.0.1:5051")
        .build());
    SlaveRegisteredMessage registered = expect(SlaveRegisteredMessage.getDefaultInstance());
    id = registered.getSlaveId();
    return registered;
  }

  /**
   * Authenticates on the current connection as an agent does (SASL CRAM-MD5) and returns the outcome: true when
   * the master completed, false when it refused the credential; an error message of the master's fails.
   */
  public boolean authenticate(org.apache.mesos.Protos.Credential credential) throws Exception {
    io.jmesos.security.SaslClientSession session =
        new io.jmesos.security.SaslClientSession(credential, "master", this::send);
    java.util.concurrent.CompletableFuture<Boolean> result = session.authenticate("slave(1)@127.0.0.1:5051");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!result.isDone()) {
      Envelope e = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("Authentication did not finish within 10s");
      }
      String type = e.getType().substring(e.getType().lastIndexOf('.') + 1);
      switch (type) {
        case "AuthenticationMechanismsMessage" -> session.mechanisms(
            io.jmesos.internal.Messages.AuthenticationMechanismsMessage.parseFrom(e.getPayload()));
        case "AuthenticationStepMessage" -> session.step(
            io.jmesos.internal.Messages.AuthenticationStepMessage.parseFrom(e.getPayload()));
        case "AuthenticationCompletedMessage" -> session.completed();
        case "AuthenticationFailedMessage" -> session.failed();
        case "AuthenticationErrorMessage" -> session.error(
            io.jmesos.internal.Messages.AuthenticationErrorMessage.parseFrom(e.getPayload()));
        default -> { }
      }
    }
    return result.get();
  }

  /** Sends RegisterSlaveMessage on the current connection (no wait). */
  public void sendRegistration(String resources) {
    send(RegisterSlaveMessage.newBuilder()
        .setSlave(SlaveInfo.newBuilder().setHostname("fake-host").setPort(5051)
            .addAllResources(Resources.parse(resources, "*").toList()))
        .setVersion("1.11.0")
        .setPid("127.0.0.1:5051")
        .build());
  }

  public SlaveID id() {
    return id;
  }

  public void send(Message message) {
    connection.send(message);
  }

  public boolean disconnected() {
    return disconnected;
  }

  /** Waits up to 10 s for the next message of the given type, skipping others (pings). */
  @SuppressWarnings("unchecked")
  public <M extends Message> M expect(M defaultInstance) throws InterruptedException {
    String type = defaultInstance.getDescriptorForType().getFullName();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Envelope e = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("No " + type + " within 10s");
      }
      if (e.getType().equals(type)) {
        try {
          return (M) defaultInstance.getParserForType().parseFrom(e.getPayload());
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
  }

  /** True if a message of that type is already queued (does not wait). */
  public boolean hasQueued(Message defaultInstance) {
    String type = defaultInstance.getDescriptorForType().getFullName();
    return inbox.stream().anyMatch(e -> e.getType().equals(type));
  }

  public void disconnect() {
    if (connection != null) {
      connection.close();
    }
  }

  @Override
  public void close() {
    disconnect();
    client.close();
  }
}
