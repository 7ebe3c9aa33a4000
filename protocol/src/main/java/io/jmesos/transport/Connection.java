package io.jmesos.transport;

import com.google.protobuf.Message;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.Envelope;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One internal-protocol connection (an agent's link to the master). Thread-safe: sends are queued on the
 * channel's event loop.
 */
public final class Connection {
  private static final AtomicLong IDS = new AtomicLong();

  private final Channel channel;
  private final long id = IDS.incrementAndGet();

  Connection(Channel channel) {
    this.channel = channel;
  }

  public long id() {
    return id;
  }

  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Sends a message wrapped in its envelope; silently dropped if the connection is gone. */
  public void send(Message message) {
    send(MessageDispatcher.envelope(message));
  }

  public void send(Envelope envelope) {
    if (channel.isActive()) {
      channel.writeAndFlush(envelope, channel.voidPromise());
    }
  }

  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "connection#" + id + "(" + channel.remoteAddress() + ")";
  }
}
