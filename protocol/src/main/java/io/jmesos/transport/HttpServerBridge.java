package io.jmesos.transport;

import io.jmesos.http.EventStream;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges Netty's HTTP codec to {@link HttpHandler}: one aggregated request in, one response or stream out.
 * Requests on one connection are handled one at a time, in order (a pipelining client gets its answers in the
 * order it asked): the next is handed over once the previous one is answered and the client has read the
 * bulk of that answer (the channel is writable again). Past {@link #PAUSE_READING_AT} requests waiting, the
 * connection is not read until they drain; past {@link #MAX_WAITING} it is closed. A request whose URL cannot be
 * decoded is answered 400 (Mesos crashed on one, CVE-2017-7687). Confined to the channel's event loop, but
 * for the {@link HttpResponder}s handed out, which any thread may use.
 */
final class HttpServerBridge extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerBridge.class);
  /** Requests waiting their turn on one connection before it is no longer read. */
  static final int PAUSE_READING_AT = 8;
  /** Requests waiting their turn on one connection (decoded from what was already read) before it is closed. */
  static final int MAX_WAITING = 1024;
  private static final int MAX_INITIAL_LINE = 4096;

  private final HttpHandler handler;
  private final HttpRequestGuard guard;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private Waiting current;

  private HttpServerBridge(HttpHandler handler, HttpRequestGuard guard) {
    this.handler = handler;
    this.guard = guard;
  }

  /** Installs the HTTP pipeline; the guard shares {@code budget} and {@code peers} with the whole server. */
  static void install(ChannelPipeline pipeline, Limits limits, HttpHandler handler, ReadBudget budget,
      PeerConnections peers) {
    HttpRequestGuard guard = new HttpRequestGuard(limits, budget, peers);
    peers.http(pipeline.channel());
    pipeline.addLast("flush-consolidation", InternalProtocol.flushConsolidation()); // event streams, answers
    pipeline.addLast("write-stall", new IdleStateHandler(true, 0, limits.writeStallTimeout().toMillis(), 0,
        TimeUnit.MILLISECONDS));
    pipeline.addLast("http-reads", guard.rawReads());
    pipeline.addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE, limits.maxHeaderBytes(), 65536));
    pipeline.addLast("http-guard", guard);
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(limits.maxHttpBodyBytes()));
    pipeline.addLast("http-handler", new HttpServerBridge(handler, guard));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    waiting.addLast(read(ctx.channel(), request));
    if (waiting.size() > MAX_WAITING) {
      LOG.warn("Closing HTTP connection from {}: more than {} requests sent ahead of their answers",
          ctx.channel().remoteAddress(), MAX_WAITING);
      waiting.clear();
      ctx.close();
      return;
    }
    if (waiting.size() >= PAUSE_READING_AT) {
      ctx.channel().config().setAutoRead(false);
    }
    next(ctx.channel());
  }

  /** A request as the handler sees it, or the answer to a request that cannot be handed over. */
  private static Waiting read(Channel channel, FullHttpRequest request) {
    long bodyBytes = request.content().readableBytes();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      return new Waiting(null, malformed(request.decoderResult().cause()), false, bodyBytes);
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path;
    Map<String, List<String>> query;
    try {
      path = uri.path();
      query = uri.parameters();
    } catch (IllegalArgumentException e) {
      return new Waiting(null, HttpResponse.text(400, "Malformed URL '" + printable(request.uri()) + "': "
          + e.getMessage() + "\n"), keepAlive, bodyBytes);
    }
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
    HttpRequest req = new HttpRequest(request.method().name(), path, query, headers,
        ByteBufUtil.getBytes(request.content()), channel.remoteAddress());
    return new Waiting(req, null, keepAlive, bodyBytes);
  }

  private static HttpResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponse.text(414, "Request line longer than " + MAX_INITIAL_LINE + " bytes\n");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponse.text(431, "Request headers too large: " + cause.getMessage() + "\n");
    }
    return HttpResponse.text(400, "Malformed HTTP request: " + cause + "\n");
  }

  private static String printable(String text) {
    String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Hands the next waiting request over if none is being answered and the last answer was mostly read. */
  private void next(Channel channel) {
    if (current != null || waiting.isEmpty() || !channel.isActive() || !channel.isWritable()) {
      return;
    }
    Waiting w = waiting.pollFirst();
    current = w;
    if (waiting.size() < PAUSE_READING_AT && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
    Responder responder = new Responder(channel, w, this);
    if (w.answer != null) {
      responder.respond(w.answer);
      return;
    }
    try {
      handler.handle(w.request, responder);
    } catch (RuntimeException e) {
      LOG.error("Handler for {} failed", w.request, e);
      if (!responder.used.get()) {
        responder.respond(HttpResponse.text(500, "Internal error: " + e));
      }
    }
  }

  /** Called from any thread once {@code w} is answered; the rest happens on the event loop. */
  private void answered(Channel channel, Waiting w) {
    try {
      channel.eventLoop().execute(() -> {
        if (current == w) {
          current = null;
          guard.answered(w.bodyBytes);
          next(channel);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("Answer to {} after the transport shut down", w.request);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    next(ctx.channel());
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** A request read and waiting its turn: handed to the handler, or answered at once with {@code answer}. */
  private static final class Waiting {
    final HttpRequest request;
    final HttpResponse answer;
    final boolean keepAlive;
    final long bodyBytes;

    Waiting(HttpRequest request, HttpResponse answer, boolean keepAlive, long bodyBytes) {
      this.request = request;
      this.answer = answer;
      this.keepAlive = keepAlive;
      this.bodyBytes = bodyBytes;
    }
  }

  static void write(Channel channel, HttpResponse response, boolean keepAlive) {
    if (response.file() != null) {
      writeFile(channel, response, keepAlive);
      return;
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
    response.headers().forEach((k, v) -> r.headers().set(k, v));
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    if (keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      channel.writeAndFlush(r, channel.voidPromise());
    } else {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Streams a file response: the head with the file's current length, then the file as a {@link
   * DefaultFileRegion} (sent by the transport as the socket drains, zero-copy where the OS allows, never held
   * in memory), then the end of the message.
   */
  private static void writeFile(Channel channel, HttpResponse response, boolean keepAlive) {
    FileChannel file;
    long length;
    try {
      file = FileChannel.open(response.file(), StandardOpenOption.READ);
      length = file.size();
    } catch (NoSuchFileException e) {
      write(channel, HttpResponse.status(404), keepAlive);
      return;
    } catch (IOException e) {
      write(channel, HttpResponse.text(500, "Failed to open '" + response.file() + "': " + e.getMessage() + "\n"),
          keepAlive);
      return;
    }
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()));
    response.headers().forEach((k, v) -> head.headers().set(k, v));
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    channel.write(head, channel.voidPromise());
    channel.write(new DefaultFileRegion(file, 0, length), channel.voidPromise());
    ChannelFuture last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      last.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static final class Responder implements HttpResponder {
    private final Channel channel;
    private final Waiting waiting;
    private final HttpServerBridge bridge;
    private final AtomicBoolean used = new AtomicBoolean();

    Responder(Channel channel, Waiting waiting, HttpServerBridge bridge) {
      this.channel = channel;
      this.waiting = waiting;
      this.bridge = bridge;
    }

    private void claim() {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("Response already sent");
      }
    }

    @Override
    public void respond(HttpResponse response) {
      claim();
      write(channel, response, waiting.keepAlive);
      bridge.answered(channel, waiting);
    }

    @Override
    public EventStream stream(int status, Map<String, String> headers) {
      claim();
      DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
      headers.forEach((k, v) -> r.headers().set(k, v));
      HttpUtil.setTransferEncodingChunked(r, true);
      channel.eventLoop().execute(bridge.guard::streaming);
      channel.writeAndFlush(r, channel.voidPromise());
      ChunkedEventStream stream = new ChunkedEventStream(channel);
      stream.onClose(() -> bridge.answered(channel, waiting));
      return stream;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
