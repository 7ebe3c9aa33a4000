package io.jmesos.http;

import io.jmesos.tls.TlsContext;
import io.jmesos.transport.TlsHandlers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client on Netty for the drivers, tools and tests: plain requests over a pool of
 * keep-alive connections (one request at a time per connection), and long-lived streaming responses (the
 * SUBSCRIBE calls) on a connection of their own, or on a persistent {@link HttpConnection} the caller opens
 * first with {@link #connect}. With TLS ({@code https}), a request is written only once the handshake and the
 * server's verification succeeded; if they fail, so does the request. Thread-safe.
 */
public final class HttpClient implements AutoCloseable {
  private static final AttributeKey<CompletableFuture<HttpResponse>> PENDING = AttributeKey.valueOf("jmesos.pending");
  private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("jmesos.idleSince");
  private static final int MAX_RESPONSE_BYTES = 64 << 20;
  /**
   * A pooled connection idle longer is closed rather than reused: shorter than a server's idle timeout (60 s in
   * jmesos), so that a request never races the server closing the connection it is sent on.
   */
  static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group;
  private final TlsContext tls;
  private final Map<InetSocketAddress, ConcurrentLinkedDeque<Channel>> idle = new ConcurrentHashMap<>();

  /** A client of plain {@code http} servers. */
  public HttpClient(String name) {
    this(name, TlsContext.disabled());
  }

  /** A client speaking TLS to every server when {@code tls} is enabled ({@code https}), else plain HTTP. */
  public HttpClient(String name, TlsContext tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-http", true));
  }

  /** Sends a request and completes with the whole response, or fails if the connection breaks first. */
  public CompletableFuture<HttpResponse> request(InetSocketAddress target, String method, String path,
      Map<String, String> headers, byte[] body) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    Channel pooled = pooled(target);
    if (pooled != null) {
      send(pooled, target, method, path, headers, body, result);
      return result;
    }
    Bootstrap b = bootstrap(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec());
        ch.pipeline().addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES));
        ch.pipeline().addLast(new ResponseHandler(target));
        secure(ch, target);
      }
    });
    ChannelFuture f = b.connect(target);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        result.completeExceptionally(done.cause());
        return;
      }
      TlsHandlers.ready(f.channel()).addListener(established -> {
        if (established.isSuccess()) {
          send(f.channel(), target, method, path, headers, body, result);
        } else {
          result.completeExceptionally(established.cause());
        }
      });
    });
    return result;
  }

  /** POST with a body of the given content type. */
  public CompletableFuture<HttpResponse> post(InetSocketAddress target, String path, String contentType,
      byte[] body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Content-Type", contentType);
    return request(target, "POST", path, headers, body);
  }

  public CompletableFuture<HttpResponse> get(InetSocketAddress target, String path) {
    return request(target, "GET", path, Map.of(), new byte[0]);
  }

  /**
   * Sends a request whose response body streams (chunked): the listener sees the status and headers, then
   * each chunk as it arrives, then the end. Returns a handle to close the stream.
   */
  public Stream stream(InetSocketAddress target, String method, String path, Map<String, String> headers,
      byte[] body, StreamListener listener) {
    Bootstrap b = bootstrap(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec());
        ch.pipeline().addLast(new StreamHandler(listener));
        secure(ch, target);
      }
    });
    ChannelFuture f = b.connect(target);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        listener.onClosed(done.cause());
        return;
      }
      TlsHandlers.ready(f.channel()).addListener(established -> {
        if (established.isSuccess()) {
          f.channel().writeAndFlush(build(target, method, path, headers, body, true));
        } else {
          listener.onClosed(established.cause());
        }
      });
    });
    return () -> f.channel().close();
  }

  /**
   * Opens a persistent connection to {@code target}; completes once it is established, or fails if it cannot
   * be. Requests are made on the connection itself.
   */
  public CompletableFuture<HttpConnection> connect(InetSocketAddress target) {
    CompletableFuture<HttpConnection> result = new CompletableFuture<>();
    Bootstrap b = bootstrap(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec());
        secure(ch, target);
      }
    });
    ChannelFuture f = b.connect(target);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        result.completeExceptionally(done.cause());
        return;
      }
      TlsHandlers.ready(f.channel()).addListener(established -> {
        if (established.isSuccess()) {
          result.complete(HttpConnection.attach(f.channel(), target));
        } else {
          result.completeExceptionally(established.cause());
        }
      });
    });
    return result;
  }

  /** The scheme of this client's URLs: {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls.scheme();
  }

  private void secure(SocketChannel ch, InetSocketAddress target) {
    if (tls.enabled()) {
      TlsHandlers.addClient(ch.pipeline(), tls, target, HANDSHAKE_TIMEOUT);
    }
  }

  private Bootstrap bootstrap(ChannelInitializer<SocketChannel> init) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .handler(init);
  }

  private Channel pooled(InetSocketAddress target) {
    ConcurrentLinkedDeque<Channel> channels = idle.get(target);
    if (channels == null) {
      return null;
    }
    Channel ch;
    while ((ch = channels.pollFirst()) != null) {
      Long since = ch.attr(IDLE_SINCE).get();
      if (since != null && System.nanoTime() - since > MAX_IDLE_NANOS) {
        ch.close();
      } else if (ch.isActive()) {
        return ch;
      }
    }
    return null;
  }

  private void send(Channel ch, InetSocketAddress target, String method, String path, Map<String, String> headers,
      byte[] body, CompletableFuture<HttpResponse> result) {
    ch.attr(PENDING).set(result);
    ch.writeAndFlush(build(target, method, path, headers, body, true)).addListener(w -> {
      if (!w.isSuccess()) {
        result.completeExceptionally(w.cause());
        ch.close();
      }
    });
  }

  static FullHttpRequest build(InetSocketAddress target, String method, String path,
      Map<String, String> headers, byte[] body, boolean keepAlive) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
        Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort());
    headers.forEach((k, v) -> r.headers().set(k, v));
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpUtil.setKeepAlive(r, keepAlive);
    return r;
  }

  static Map<String, String> headersOf(io.netty.handler.codec.http.HttpResponse r) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers().forEach(e -> h.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
    return h;
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final InetSocketAddress target;

    ResponseHandler(InetSocketAddress target) {
      this.target = target;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
      CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
      HttpResponse response = new HttpResponse(msg.status().code(), headersOf(msg),
          ByteBufUtil.getBytes(msg.content()));
      if (HttpUtil.isKeepAlive(msg)) {
        ctx.channel().attr(IDLE_SINCE).set(System.nanoTime());
        idle.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>()).addLast(ctx.channel());
      } else {
        ctx.close();
      }
      if (pending != null) {
        pending.complete(response);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
      if (pending != null) {
        pending.completeExceptionally(new IOException("Connection to " + target + " closed before a response"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
      if (pending != null) {
        pending.completeExceptionally(cause);
      }
      ctx.close();
    }
  }

  private static final class StreamHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final StreamListener listener;
    private boolean ended;

    StreamHandler(StreamListener listener) {
      this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof io.netty.handler.codec.http.HttpResponse) {
        io.netty.handler.codec.http.HttpResponse r = (io.netty.handler.codec.http.HttpResponse) msg;
        listener.onHeaders(r.status().code(), headersOf(r));
      }
      if (msg instanceof HttpContent) {
        HttpContent c = (HttpContent) msg;
        if (c.content().isReadable()) {
          listener.onData(ByteBufUtil.getBytes(c.content()));
        }
        if (msg instanceof LastHttpContent) {
          end(null);
          ctx.close();
        }
      }
    }

    private void end(Throwable cause) {
      if (!ended) {
        ended = true;
        listener.onClosed(cause);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end(new IOException("Stream connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      end(cause);
      ctx.close();
    }
  }

  /** Receives a streaming response; called on the client's I/O thread, in order. */
  public interface StreamListener {
    void onHeaders(int status, Map<String, String> headers);

    void onData(byte[] chunk);

    /** The stream ended: {@code cause} is null after a clean end, else why it broke. Called once. */
    void onClosed(Throwable cause);
  }

  /** An open streaming request. */
  public interface Stream {
    void close();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
