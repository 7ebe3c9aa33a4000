package io.jmesos.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One persistent HTTP/1.1 connection, opened before any request is made on it, as Mesos' scheduler library
 * holds one ({@code process::http::connect}): a caller can tell whether the server is reachable, learns when
 * the connection breaks ({@link #disconnected()}), and sends its requests on it one after the other, each
 * answered by a (possibly streaming) response. A response that ends leaves the connection open for the next
 * request. Made by {@link HttpClient#connect}.
 *
 * <p>Threading: thread-safe. The channel's I/O thread runs the listeners; requests are queued and written one
 * at a time, in the order they were made, each once the previous response has ended.
 */
public final class HttpConnection implements AutoCloseable {
  private final Channel channel;
  private final InetSocketAddress target;
  private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
  // I/O-thread confined.
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private Exchange current;
  private boolean closed;

  private HttpConnection(Channel channel, InetSocketAddress target) {
    this.channel = channel;
    this.target = target;
  }

  /** Installs the response handler on a channel connected to {@code target} whose pipeline has a codec. */
  static HttpConnection attach(Channel channel, InetSocketAddress target) {
    HttpConnection connection = new HttpConnection(channel, target);
    channel.pipeline().addLast(connection.new Handler());
    channel.closeFuture().addListener(f -> connection.disconnected.complete(null));
    return connection;
  }

  /**
   * Sends a request on this connection; {@code listener} sees the response's status and headers, each chunk
   * of its body and then its end (on the channel's I/O thread). If the connection breaks first, the listener
   * hears {@link HttpClient.StreamListener#onClosed} with the cause. Closing the returned handle closes the
   * connection: HTTP/1.1 cannot abandon a response half-way and go on.
   */
  public HttpClient.Stream stream(String method, String path, Map<String, String> headers, byte[] body,
      HttpClient.StreamListener listener) {
    FullHttpRequest request = HttpClient.build(target, method, path, headers, body, true);
    channel.eventLoop().execute(() -> enqueue(new Exchange(request, listener)));
    return this::close;
  }

  /** Completes when the connection is closed, by either side. */
  public CompletableFuture<Void> disconnected() {
    return disconnected;
  }

  /** The server this connection is to. */
  public InetSocketAddress target() {
    return target;
  }

  /** Closes the connection; a response in progress ends with an error. Idempotent; any thread. */
  @Override
  public void close() {
    channel.close();
  }

  private void enqueue(Exchange exchange) {
    if (closed || !channel.isActive()) {
      closed = true;
      exchange.listener.onClosed(new IOException("Connection to " + target + " is closed"));
      return;
    }
    waiting.addLast(exchange);
    writeNext();
  }

  private void writeNext() {
    if (current != null || waiting.isEmpty()) {
      return;
    }
    current = waiting.pollFirst();
    channel.writeAndFlush(current.request).addListener(w -> {
      if (!w.isSuccess()) {
        channel.close();
      }
    });
  }

  /** A request and the listener of its response. */
  private static final class Exchange {
    final FullHttpRequest request;
    final HttpClient.StreamListener listener;

    Exchange(FullHttpRequest request, HttpClient.StreamListener listener) {
      this.request = request;
      this.listener = listener;
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (current == null) {
        return; // nothing was asked: ignore
      }
      if (msg instanceof io.netty.handler.codec.http.HttpResponse) {
        io.netty.handler.codec.http.HttpResponse r = (io.netty.handler.codec.http.HttpResponse) msg;
        current.listener.onHeaders(r.status().code(), HttpClient.headersOf(r));
      }
      if (msg instanceof HttpContent) {
        HttpContent c = (HttpContent) msg;
        if (c.content().isReadable()) {
          current.listener.onData(ByteBufUtil.getBytes(c.content()));
        }
        if (msg instanceof LastHttpContent) {
          Exchange done = current;
          current = null;
          done.listener.onClosed(null);
          writeNext();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed = true;
      IOException cause = new IOException("Connection to " + target + " closed");
      if (current != null) {
        current.listener.onClosed(cause);
        current = null;
      }
      while (!waiting.isEmpty()) {
        waiting.pollFirst().listener.onClosed(cause);
      }
      disconnected.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
