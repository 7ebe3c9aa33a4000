package io.jmesos.transport;

import io.jmesos.tls.TlsContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Puts TLS on Netty pipelines: Netty's {@link SslHandler} over a {@link TlsContext}'s JDK engine, followed by a
 * {@link TlsGate} that holds the connection back until the handshake and the hostname validation are done.
 * Stateless.
 */
public final class TlsHandlers {
  /** Name of the TLS handler in a pipeline. */
  public static final String TLS = "tls";
  static final String GATE = "tls-gate";

  private TlsHandlers() {}

  /**
   * Adds client-side TLS to the pipeline of a channel about to connect to {@code target}, first in the
   * pipeline; the handlers after it hear of the channel being active only once the server is verified.
   */
  public static void addClient(ChannelPipeline pipeline, TlsContext tls, InetSocketAddress target,
      Duration handshakeTimeout) {
    SslHandler ssl = new SslHandler(tls.clientEngine(target));
    ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    pipeline.addFirst(GATE, new TlsGate(tls, target));
    pipeline.addFirst(TLS, ssl);
  }

  /** Adds server-side TLS after the handler named {@code after}, then {@code next} after it. */
  static void addServer(ChannelPipeline pipeline, String after, TlsContext tls, Duration handshakeTimeout,
      String nextName, ChannelHandler next) {
    SslHandler ssl = new SslHandler(tls.serverEngine());
    ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    pipeline.addAfter(after, TLS, ssl);
    pipeline.addAfter(TLS, GATE, new TlsGate(tls, null));
    pipeline.addAfter(GATE, nextName, next);
  }

  /**
   * Completes when {@code channel} may carry data: at once without TLS, else once the handshake and the peer's
   * verification succeeded; fails if either fails or the channel closes first.
   */
  public static Future<Channel> ready(Channel channel) {
    TlsGate gate = channel.pipeline().get(TlsGate.class);
    if (gate != null) {
      return gate.ready();
    }
    return channel.eventLoop().newSucceededFuture(channel);
  }
}
