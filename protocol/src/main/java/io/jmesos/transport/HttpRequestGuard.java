package io.jmesos.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards how one HTTP connection is read, between Netty's codec and its aggregator (see {@link Limits}):
 * <ul>
 *   <li>a request's head must be read within {@link Limits#headerTimeout()} of its first byte, and its body
 *       may not pause longer than {@link Limits#readStallTimeout()}: else {@code 408} and close;
 *   <li>a body larger than {@link Limits#maxHttpBodyBytes()} is answered {@code 413}, one that does not fit in
 *       the server's {@link ReadBudget} of bytes in flight {@code 503}, both with the connection closed; the
 *       bytes of a request stay reserved until it is answered;
 *   <li>a connection without a request in flight is closed after {@link Limits#idleTimeout()} while the
 *       server holds more than {@link Limits#idleReapThreshold()} HTTP connections (local peers excepted);
 *   <li>a response other than a stream that the client has not read any of for
 *       {@link Limits#writeStallTimeout()} closes the connection (told by an {@code IdleStateHandler}).
 * </ul>
 * The first byte of each request is seen by {@link #rawReads()}, installed before the codec. Confined to the
 * channel's event loop.
 */
final class HttpRequestGuard extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRequestGuard.class);
  private static final Throttle WARNINGS = new Throttle(10, TimeUnit.SECONDS);
  private static final long NEVER = Long.MAX_VALUE;

  private enum Reading { NONE, HEADERS, BODY }

  private final Limits limits;
  private final ReadBudget budget;
  private final PeerConnections peers;
  private ChannelHandlerContext ctx;
  private boolean local;
  // The protocol was told from a request's first bytes: its head is being read.
  private Reading reading = Reading.HEADERS;
  private long readingSince = System.nanoTime();
  private long lastRead = readingSince;
  private long idleSince;
  private int busy; // requests read and not yet answered
  private long bodyBytes; // reserved for the body being read
  private long heldBytes; // reserved for requests read and not yet answered
  private boolean streaming;
  private boolean refused;
  private ScheduledFuture<?> timer;
  private long timerDeadline;

  HttpRequestGuard(Limits limits, ReadBudget budget, PeerConnections peers) {
    this.limits = limits;
    this.budget = budget;
    this.peers = peers;
  }

  /** The handler to install before the codec: it tells this guard when bytes arrive. */
  ChannelInboundHandlerAdapter rawReads() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext raw, Object msg) {
        bytesArrived();
        raw.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.local = peers.isLocal(ctx.channel().remoteAddress());
    rearm();
  }

  private void bytesArrived() {
    lastRead = System.nanoTime();
    if (reading == Reading.NONE) {
      reading = Reading.HEADERS;
      readingSince = lastRead;
      rearm();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest) {
      reading = Reading.BODY;
      bodyBytes = 0;
      rearm();
      String refusal = checkHead((HttpRequest) msg);
      if (refusal != null) {
        ReferenceCountUtil.release(msg);
        return;
      }
    }
    if (msg instanceof HttpContent) {
      int n = ((HttpContent) msg).content().readableBytes();
      if (bodyBytes + n > limits.maxHttpBodyBytes()) {
        ReferenceCountUtil.release(msg);
        refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Request body is larger than "
            + limits.maxHttpBodyBytes() + " bytes");
        return;
      }
      if (!budget.reserve(n)) {
        ReferenceCountUtil.release(msg);
        refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, busyMessage());
        return;
      }
      bodyBytes += n;
      if (msg instanceof LastHttpContent) {
        heldBytes += bodyBytes;
        bodyBytes = 0;
        busy++;
        reading = Reading.NONE;
        rearm();
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Refuses a request by its head alone; returns why, or null to read on. */
  private String checkHead(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return null; // answered by the bridge
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
      return refuse(HttpResponseStatus.EXPECTATION_FAILED, "Unsupported expectation '" + expect + "'");
    }
    long declared;
    try {
      declared = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      return refuse(HttpResponseStatus.BAD_REQUEST, "Malformed Content-Length");
    }
    if (declared > limits.maxHttpBodyBytes()) {
      return refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Request body of " + declared
          + " bytes is larger than " + limits.maxHttpBodyBytes() + " bytes");
    }
    if (declared > budget.max() - budget.used()) {
      return refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, busyMessage());
    }
    return null;
  }

  private String busyMessage() {
    return "Too many request bodies in flight (" + budget.used() + " of " + budget.max() + " bytes): try again";
  }

  /** Answers (when no earlier response is due first) and closes; what is read after is dropped. */
  private String refuse(HttpResponseStatus status, String reason) {
    refused = true;
    budget.release(bodyBytes);
    bodyBytes = 0;
    cancelTimer();
    warn("Refusing a request from {} with {}: {}; closing the connection", ctx.channel().remoteAddress(),
        status, reason);
    if (busy > 0) {
      ctx.close(); // an answer now would come before the answers still due
    } else {
      ByteBuf body = Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
    return reason;
  }

  /** A request read earlier was answered (its response is complete or its stream ended). */
  void answered(long requestBodyBytes) {
    if (heldBytes > 0) {
      long n = Math.min(requestBodyBytes, heldBytes);
      heldBytes -= n;
      budget.release(n);
    }
    busy = Math.max(0, busy - 1);
    if (busy == 0 && reading == Reading.NONE) {
      idleSince = System.nanoTime();
      rearm();
    }
  }

  /** The request in flight is answered with a stream: quiet or slowly read, a stream is its owner's concern. */
  void streaming() {
    streaming = true;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.WRITER_IDLE) {
      ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
      long pending = out == null ? 0 : out.totalPendingWriteBytes();
      if (!streaming && pending > 0) {
        warn("Closing HTTP connection from {}: {} bytes of response unread for {}", ctx.channel().remoteAddress(),
            pending, limits.writeStallTimeout());
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    budget.release(bodyBytes + heldBytes);
    bodyBytes = 0;
    heldBytes = 0;
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /**
   * Makes sure the timer fires no later than the current deadline. A timer due earlier is kept (it looks again
   * when it fires), so that a request costs no scheduling beyond the first of each 10 s or so.
   */
  private void rearm() {
    long deadline = deadline();
    if (deadline == NEVER || refused || ctx == null || timer != null && timerDeadline <= deadline) {
      return;
    }
    cancelTimer();
    timerDeadline = deadline;
    timer = ctx.executor().schedule(this::check, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private long deadline() {
    switch (reading) {
      case HEADERS:
        return readingSince + limits.headerTimeout().toNanos();
      case BODY:
        return lastRead + limits.readStallTimeout().toNanos();
      default:
        return busy > 0 || local ? NEVER : idleSince + limits.idleTimeout().toNanos();
    }
  }

  private void check() {
    timer = null;
    long deadline = deadline();
    if (!ctx.channel().isActive() || refused || deadline == NEVER) {
      return;
    }
    if (System.nanoTime() < deadline) {
      rearm(); // read on since this was armed
      return;
    }
    if (reading == Reading.HEADERS) {
      refuse(HttpResponseStatus.REQUEST_TIMEOUT, "No complete request head within " + limits.headerTimeout());
    } else if (reading == Reading.BODY) {
      refuse(HttpResponseStatus.REQUEST_TIMEOUT, "Request body stalled for " + limits.readStallTimeout());
    } else if (peers.reapHttp(ctx.channel(), limits.idleReapThreshold())) {
      LOG.debug("Closing HTTP connection from {}: idle for {} with {} other HTTP connections open",
          ctx.channel().remoteAddress(), limits.idleTimeout(), peers.httpConnections());
      ctx.close();
    } else {
      idleSince = System.nanoTime(); // few connections: keep it as Mesos does, and look again later
      rearm();
    }
  }

  /** Logs at WARN once per interval (with the count so far), at DEBUG otherwise. */
  private static void warn(String format, Object... args) {
    if (WARNINGS.allow()) {
      LOG.warn(format + " ({} so far)", append(args, WARNINGS.events()));
    } else {
      LOG.debug(format, args);
    }
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }
}
