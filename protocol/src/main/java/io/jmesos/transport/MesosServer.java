package io.jmesos.transport;

import io.jmesos.http.HttpHandler;
import io.jmesos.tls.TlsContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's single listening port: serves HTTP and the internal framed protobuf protocol, told apart by
 * their first bytes. I/O threads only frame, decode and hand over to the handlers.
 */
public final class MesosServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MesosServer.class);

  private final String name;
  private final InetSocketAddress bind;
  private final HttpHandler http;
  private final ConnectionHandler internal;
  private final Limits limits;
  private final MessageTap tap;
  private final TlsContext tls;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;
  private boolean closed;
  private ReadBudget budget;
  private PeerConnections peers;

  /**
   * @param internal handler of internal-protocol connections, or null to accept only HTTP
   */
  public MesosServer(String name, InetSocketAddress bind, HttpHandler http, ConnectionHandler internal,
      Limits limits) {
    this(name, bind, http, internal, limits, MessageTap.NONE);
  }

  /**
   * @param internal handler of internal-protocol connections, or null to accept only HTTP
   * @param tap what every internal envelope read or written on this server's connections passes through
   */
  public MesosServer(String name, InetSocketAddress bind, HttpHandler http, ConnectionHandler internal,
      Limits limits, MessageTap tap) {
    this(name, bind, http, internal, limits, tap, TlsContext.disabled());
  }

  /**
   * @param internal handler of internal-protocol connections, or null to accept only HTTP
   * @param tap what every internal envelope read or written on this server's connections passes through
   * @param tls TLS for every connection (HTTP and internal), or {@link TlsContext#disabled()}
   */
  public MesosServer(String name, InetSocketAddress bind, HttpHandler http, ConnectionHandler internal,
      Limits limits, MessageTap tap, TlsContext tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.name = Objects.requireNonNull(name);
    this.bind = Objects.requireNonNull(bind);
    this.http = Objects.requireNonNull(http);
    this.internal = internal;
    this.limits = Objects.requireNonNull(limits);
    this.tap = Objects.requireNonNull(tap, "tap");
  }

  /** Binds the port; returns the bound address (useful with port 0). */
  public synchronized InetSocketAddress start() throws InterruptedException {
    budget = new ReadBudget(limits.maxBytesInFlight());
    peers = new PeerConnections(name, limits);
    boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
    workers = new NioEventLoopGroup(0, new DefaultThreadFactory(name + "-io", true));
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (!peers.admit(ch)) {
              ch.close();
              return;
            }
            // Bounded only until the protocol is known: an open event stream may then stay quiet for long.
            ch.pipeline().addLast(ProtocolSniffer.TIMEOUT, new ReadTimeoutHandler(
                limits.identifyTimeout().toMillis(), TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("sniffer", new ProtocolSniffer(limits, http, internal, tap, budget,
                peers, tls, false));
          }
        });
    try {
      channel = b.bind(bind).sync().channel();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
    LOG.info("{} listening on {}{}", name, bound, tls.enabled()
        ? tls.config().supportDowngrade() ? " (TLS, plain connections accepted too)" : " (TLS only)" : "");
    return bound;
  }

  /** The TLS this server speaks. */
  public TlsContext tls() {
    return tls;
  }

  public synchronized InetSocketAddress address() {
    return channel == null ? null : (InetSocketAddress) channel.localAddress();
  }

  /** Bytes of request bodies and internal frames held now, read but not yet answered (0 before start). */
  public synchronized long bytesInFlight() {
    return budget == null ? 0 : budget.used();
  }

  /** Connections open now (each admitted connection until it closes). */
  public synchronized int openConnections() {
    return peers == null ? 0 : peers.open();
  }

  /** Connections refused so far because their remote address had too many open. */
  public synchronized long connectionsRefused() {
    return peers == null ? 0 : peers.refused();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
