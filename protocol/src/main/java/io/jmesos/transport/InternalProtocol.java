package io.jmesos.transport;

import io.jmesos.internal.Messages.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal master <-> agent wire format: a 4-byte preamble {@code JMI1} sent once by the connecting side,
 * then varint-length-prefixed {@link Envelope}s in both directions.
 */
public final class InternalProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(InternalProtocol.class);

  /** The preamble that tells the internal protocol from HTTP on a shared port. */
  static final byte[] PREAMBLE = "JMI1".getBytes(StandardCharsets.US_ASCII);

  private InternalProtocol() {}

  static ByteBuf preamble() {
    return Unpooled.wrappedBuffer(PREAMBLE);
  }

  /**
   * Adds framing, codec and the handler bridge to a pipeline; envelopes pass through {@code tap}; frames being
   * read hold bytes of {@code budget} (the server's bytes in flight; none for a client). On a server's side the
   * first frame must come within the read stall timeout.
   */
  static void install(ChannelPipeline pipeline, Limits limits, ConnectionHandler handler, MessageTap tap,
      ReadBudget budget, boolean server) {
    pipeline.addLast("flush-consolidation", flushConsolidation());
    pipeline.addLast("frame-decoder", new BoundedVarintFrameDecoder(limits.maxFrameBytes(), budget,
        limits.readStallTimeout(), server));
    pipeline.addLast("envelope-decoder", new ProtobufDecoder(Envelope.getDefaultInstance()));
    pipeline.addLast("frame-encoder", new ProtobufVarint32LengthFieldPrepender());
    pipeline.addLast("envelope-encoder", new ProtobufEncoder());
    pipeline.addLast("bridge", new Bridge(handler, tap, limits.maxOutboundBacklogBytes()));
  }

  /**
   * Flushes of one connection coalesced into one socket write: messages the master's actor sends in a burst (a
   * RunTaskMessage, acknowledgements, pings) each arrive as a write-and-flush task on the connection's event loop;
   * without this each would be its own {@code write(2)}. A flush outside a read is done by a task queued after the
   * ones already waiting (so at most one event-loop round later), one during a read at its end.
   */
  static FlushConsolidationHandler flushConsolidation() {
    return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
  }

  /**
   * Bridges channel events to a {@link ConnectionHandler}, inbound envelopes through the {@link MessageTap}.
   * Fields are confined to the channel's event loop.
   */
  static final class Bridge extends SimpleChannelInboundHandler<Envelope> {
    private final ConnectionHandler handler;
    private final MessageTap tap;
    private final long maxBacklogBytes;
    private Connection connection;
    private boolean disconnected;

    Bridge(ConnectionHandler handler, MessageTap tap, long maxBacklogBytes) {
      this.handler = handler;
      this.tap = Objects.requireNonNull(tap, "tap");
      this.maxBacklogBytes = maxBacklogBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive() && connection == null) {
        connect(ctx.channel());
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (connection == null) {
        connect(ctx.channel());
      }
      super.channelActive(ctx);
    }

    private void connect(Channel channel) {
      connection = new Connection(channel, tap, maxBacklogBytes);
      handler.onConnect(connection);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
      if (tap == MessageTap.NONE) {
        handler.onMessage(connection, envelope);
      } else {
        EventLoop loop = ctx.channel().eventLoop();
        tap.inbound(connection, envelope, () -> deliver(loop, envelope));
      }
    }

    /** A tap's delivery: on the event loop, and never after the handler heard of the disconnection. */
    private void deliver(EventLoop loop, Envelope envelope) {
      if (!loop.inEventLoop()) {
        try {
          loop.execute(() -> deliver(loop, envelope));
        } catch (RejectedExecutionException e) {
          LOG.debug("Dropping late {} for {}: transport shut down", envelope.getType(), connection);
        }
        return;
      }
      if (disconnected) {
        LOG.debug("Dropping late {} for {}: disconnected", envelope.getType(), connection);
        return;
      }
      handler.onMessage(connection, envelope);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (connection != null) {
        disconnected = true;
        handler.onDisconnect(connection);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("Closing internal connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
