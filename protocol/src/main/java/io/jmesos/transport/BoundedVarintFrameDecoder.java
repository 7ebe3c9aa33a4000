package io.jmesos.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The internal protocol's varint-length frame decoder, bounded: a frame over the limit is refused before it is
 * buffered; while a frame is partly read its length is reserved in the server's {@link ReadBudget} (a frame
 * that does not fit closes the connection), and the connection is closed if the frame's bytes stop coming for
 * the read stall timeout (or the first frame does not come within it). Confined to the channel's event loop.
 */
final class BoundedVarintFrameDecoder extends ByteToMessageDecoder {
  private final int maxFrameBytes;
  private final ReadBudget budget;
  private final long stallNanos;
  private long reserved;
  private boolean framed;
  private long lastRead;
  private ScheduledFuture<?> stallTimer;

  /** @param awaitFirstFrame true on a server: the first frame is due at once (a client waits for answers) */
  BoundedVarintFrameDecoder(int maxFrameBytes, ReadBudget budget, Duration stall, boolean awaitFirstFrame) {
    this.maxFrameBytes = maxFrameBytes;
    this.budget = budget;
    this.stallNanos = stall.toNanos();
    this.framed = !awaitFirstFrame;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    lastRead = System.nanoTime();
    if (!framed) {
      waitForMore(ctx);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    lastRead = System.nanoTime();
    int length = 0;
    int headerBytes = -1;
    for (int i = 0; i < 5 && i < in.readableBytes(); i++) {
      byte b = in.getByte(in.readerIndex() + i);
      length |= (b & 0x7f) << (7 * i);
      if (b >= 0) {
        headerBytes = i + 1;
        break;
      }
      if (i == 4) {
        throw new CorruptedFrameException("malformed frame length");
      }
    }
    if (headerBytes == -1) {
      waitForMore(ctx);
      return;
    }
    if (length < 0 || length > maxFrameBytes) {
      throw new TooLongFrameException("frame of " + (length & 0xffffffffL) + " bytes exceeds the limit of "
          + maxFrameBytes);
    }
    if (in.readableBytes() < headerBytes + length) {
      if (reserved == 0 && length > 0) {
        if (!budget.reserve(length)) {
          throw new TooLongFrameException("frame of " + length + " bytes does not fit in the bytes in flight ("
              + budget.used() + " of " + budget.max() + " bytes held)");
        }
        reserved = length;
      }
      waitForMore(ctx);
      return;
    }
    done();
    framed = true;
    in.skipBytes(headerBytes);
    out.add(in.readRetainedSlice(length));
  }

  private void waitForMore(ChannelHandlerContext ctx) {
    if (stallTimer == null) {
      stallTimer = ctx.executor().schedule(() -> checkStall(ctx), stallNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkStall(ChannelHandlerContext ctx) {
    stallTimer = null;
    if (!ctx.channel().isActive() || framed && internalBuffer().readableBytes() == 0) {
      return;
    }
    long quiet = System.nanoTime() - lastRead;
    if (quiet >= stallNanos) {
      ctx.fireExceptionCaught(new CorruptedFrameException("frame stalled: no byte for "
          + Duration.ofNanos(stallNanos)));
    } else {
      stallTimer = ctx.executor().schedule(() -> checkStall(ctx), stallNanos - quiet, TimeUnit.NANOSECONDS);
    }
  }

  /** A frame is complete (or the connection is gone): its reservation and stall timer go. */
  private void done() {
    budget.release(reserved);
    reserved = 0;
    if (stallTimer != null) {
      stallTimer.cancel(false);
      stallTimer = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    done();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    done();
  }
}
