package io.jmesos.transport;

import io.jmesos.http.EventStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An open chunked HTTP response whose end closes the connection. Thread-safe. */
final class ChunkedEventStream implements EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkedEventStream.class);

  private final Channel channel;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

  ChunkedEventStream(Channel channel) {
    this.channel = channel;
    channel.closeFuture().addListener(f -> closed());
  }

  @Override
  public void send(byte[] chunk) {
    if (open.get() && channel.isActive()) {
      channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)), channel.voidPromise());
    }
  }

  @Override
  public void close() {
    if (channel.isActive()) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
    closed();
  }

  @Override
  public void abort() {
    channel.close();
    closed();
  }

  private void closed() {
    if (open.compareAndSet(true, false)) {
      for (Runnable r : callbacks) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("Stream close callback failed", e);
        }
      }
    }
  }

  @Override
  public boolean isOpen() {
    return open.get() && channel.isActive();
  }

  @Override
  public long pendingBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public void onClose(Runnable callback) {
    callbacks.add(callback);
    if (!open.get()) {
      callback.run();
    }
  }
}
