package io.jmesos.transport;

import com.google.protobuf.Message;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.Envelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One internal-protocol connection (an agent's link to the master). Thread-safe: sends are queued on the
 * channel's event loop. Every envelope sent passes through the connection's {@link MessageTap} (none in
 * production).
 */
public final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final Channel channel;
  private final MessageTap tap;
  private final SocketAddress localAddress;
  private final long id = IDS.incrementAndGet();
  private final long maxBacklogBytes;

  Connection(Channel channel, MessageTap tap, long maxBacklogBytes) {
    this.channel = channel;
    this.tap = Objects.requireNonNull(tap, "tap");
    this.localAddress = channel.localAddress();
    this.maxBacklogBytes = maxBacklogBytes;
  }

  public long id() {
    return id;
  }

  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  /**
   * This end's address; the other end sees it as its {@link #remoteAddress()}, so the two {@code
   * Connection}s of one TCP connection can be told to belong together.
   */
  public SocketAddress localAddress() {
    return localAddress;
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Sends a message wrapped in its envelope; silently dropped if the connection is gone. */
  public void send(Message message) {
    send(MessageDispatcher.envelope(message));
  }

  public void send(Envelope envelope) {
    if (tap == MessageTap.NONE) {
      write(envelope);
    } else {
      tap.outbound(this, envelope, () -> write(envelope));
    }
  }

  /**
   * Writes, unless the peer has left more than the backlog bound unread: then the connection is closed (the
   * agent reconnects and registers again) rather than the sender holding ever more.
   */
  private void write(Envelope envelope) {
    if (!channel.isActive()) {
      return;
    }
    long backlog = pendingBytes();
    if (backlog > maxBacklogBytes) {
      LOG.warn("Closing {}: {} bytes of messages not yet read by the peer (limit {})", this, backlog,
          maxBacklogBytes);
      channel.close();
      return;
    }
    channel.writeAndFlush(envelope, channel.voidPromise());
  }

  /** Bytes sent on this connection and not yet written to the socket. */
  public long pendingBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /**
   * Runs {@code task} on this connection's I/O thread, after what that thread already has queued (for a
   * {@link MessageTap} that needs to know when a late delivery is done). The task must not block. Throws
   * {@link java.util.concurrent.RejectedExecutionException} once the transport has shut down.
   */
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "connection#" + id + "(" + channel.remoteAddress() + ")";
  }
}
