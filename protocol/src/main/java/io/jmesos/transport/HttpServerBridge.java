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
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
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
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bridges Netty's HTTP codec to {@link HttpHandler}: one aggregated request in, one response or stream out. */
final class HttpServerBridge extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerBridge.class);

  private final HttpHandler handler;

  private HttpServerBridge(HttpHandler handler) {
    this.handler = handler;
  }

  static void install(ChannelPipeline pipeline, Limits limits, HttpHandler handler) {
    pipeline.addLast("http-codec", new HttpServerCodec(4096, limits.maxHeaderBytes(), 65536));
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(limits.maxHttpBodyBytes()));
    pipeline.addLast("http-handler", new HttpServerBridge(handler));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Channel channel = ctx.channel();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      write(channel, HttpResponse.text(400, "Malformed HTTP request: " + request.decoderResult().cause()), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
    Map<String, List<String>> query = uri.parameters();
    HttpRequest req = new HttpRequest(request.method().name(), uri.path(), query, headers,
        ByteBufUtil.getBytes(request.content()), channel.remoteAddress());
    Responder responder = new Responder(channel, keepAlive);
    try {
      handler.handle(req, responder);
    } catch (RuntimeException e) {
      LOG.error("Handler for {} failed", req, e);
      responder.respond(HttpResponse.text(500, "Internal error: " + e));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
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
    private final boolean keepAlive;
    private final AtomicBoolean used = new AtomicBoolean();

    Responder(Channel channel, boolean keepAlive) {
      this.channel = channel;
      this.keepAlive = keepAlive;
    }

    private void claim() {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("Response already sent");
      }
    }

    @Override
    public void respond(HttpResponse response) {
      claim();
      write(channel, response, keepAlive);
    }

    @Override
    public EventStream stream(int status, Map<String, String> headers) {
      claim();
      DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
      headers.forEach((k, v) -> r.headers().set(k, v));
      HttpUtil.setTransferEncodingChunked(r, true);
      channel.writeAndFlush(r, channel.voidPromise());
      return new ChunkedStream(channel);
    }
  }

  private static final class ChunkedStream implements EventStream {
    private final Channel channel;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    ChunkedStream(Channel channel) {
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

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
