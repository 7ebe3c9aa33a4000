package io.jmesos.transport;

import io.jmesos.tls.TlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens internal-protocol connections (agent to master). Each {@link #connect} makes a fresh connection
 * and reports its life to the handler; reconnecting with backoff is the owner's policy, because a reconnect
 * is a re-registration in Mesos. With TLS, a connection is announced once the handshake and the server's
 * verification succeeded, and the connect fails if they do not. Thread-safe.
 */
public final class MessageClient implements AutoCloseable {
  /** How long a TLS handshake may take (Netty's default). */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group;
  private final Limits limits;
  private final ConnectionHandler handler;
  private final MessageTap tap;
  private final TlsContext tls;

  public MessageClient(String name, Limits limits, ConnectionHandler handler) {
    this(name, limits, handler, MessageTap.NONE);
  }

  /** @param tap what every envelope read or written on this client's connections passes through */
  public MessageClient(String name, Limits limits, ConnectionHandler handler, MessageTap tap) {
    this(name, limits, handler, tap, TlsContext.disabled());
  }

  /**
   * @param tap what every envelope read or written on this client's connections passes through
   * @param tls TLS for every connection, or {@link TlsContext#disabled()}
   */
  public MessageClient(String name, Limits limits, ConnectionHandler handler, MessageTap tap, TlsContext tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.tap = Objects.requireNonNull(tap, "tap");
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-client", true));
    this.limits = limits;
    this.handler = handler;
  }

  /** Connects; the future completes with the connection (already announced to the handler) or fails. */
  public CompletableFuture<Connection> connect(InetSocketAddress target) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    ConnectionHandler announcing = new ConnectionHandler() {
      @Override
      public void onConnect(Connection connection) {
        handler.onConnect(connection);
        result.complete(connection);
      }

      @Override
      public void onMessage(Connection connection, io.jmesos.internal.Messages.Envelope envelope) {
        handler.onMessage(connection, envelope);
      }

      @Override
      public void onDisconnect(Connection connection) {
        handler.onDisconnect(connection);
      }
    };
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // The preamble must precede anything the handler sends once it hears of the connection.
            ch.pipeline().addLast("preamble", new ChannelInboundHandlerAdapter() {
              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(InternalProtocol.preamble());
                ctx.fireChannelActive();
                ctx.pipeline().remove(this);
              }
            });
            InternalProtocol.install(ch.pipeline(), limits, announcing, tap, ReadBudget.unlimited(), false);
            if (tls.enabled()) {
              TlsHandlers.addClient(ch.pipeline(), tls, target, HANDSHAKE_TIMEOUT);
            }
          }
        });
    ChannelFuture f = b.connect(target);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        result.completeExceptionally(done.cause());
        return;
      }
      TlsHandlers.ready(f.channel()).addListener(established -> {
        if (!established.isSuccess()) {
          result.completeExceptionally(established.cause());
        }
      });
    });
    return result;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
