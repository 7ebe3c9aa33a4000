package io.jmesos.transport;

import io.jmesos.tls.TlsContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler}: holds back what the handlers after it would see (a client's
 * {@code channelActive}, decrypted reads) until the handshake completed and the peer's certificate passed the
 * hostname validation {@code HOSTNAME_VALIDATION_SCHEME} asks for, then steps aside. A failed check closes the
 * connection before any application byte is read or written. The {@code legacy} scheme's reverse DNS lookups run
 * on a small pool of their own, never on the I/O thread. I/O-thread confined but for {@link #ready()}.
 */
final class TlsGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(TlsGate.class);
  private static final ExecutorService LOOKUPS = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), new DefaultThreadFactory("tls-hostname-check", true));

  private final TlsContext tls;
  /** The server a client connects to; null on the server side. */
  private final InetSocketAddress target;
  private final Promise<Channel> ready = ImmediateEventExecutor.INSTANCE.newPromise();
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean activeHeld;
  private boolean open;

  TlsGate(TlsContext tls, InetSocketAddress target) {
    this.tls = tls;
    this.target = target;
  }

  Future<Channel> ready() {
    return ready;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open) {
      ctx.fireChannelActive();
    } else {
      activeHeld = true;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (open) {
      ctx.fireChannelRead(msg);
    } else {
      held.addLast(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (open) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof SslHandshakeCompletionEvent)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
    if (!done.isSuccess()) {
      ready.tryFailure(done.cause());
      ctx.fireUserEventTriggered(evt); // the SslHandler reports the cause and closes the channel
      return;
    }
    boolean client = target != null;
    if (client ? !tls.checksServer() : !tls.checksClient()) {
      open(ctx);
      return;
    }
    SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
    InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    Runnable check = () -> {
      try {
        if (client) {
          tls.verifyServer(session, target, peer);
        } else {
          tls.verifyClient(session, peer);
        }
        ctx.executor().execute(() -> open(ctx));
      } catch (SSLPeerUnverifiedException e) {
        ctx.executor().execute(() -> refuse(ctx, e));
      }
    };
    if (tls.config().hostnameValidation() == io.jmesos.tls.TlsConfig.HostnameValidation.LEGACY) {
      LOOKUPS.execute(check);
    } else {
      check.run();
    }
  }

  private void open(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    open = true;
    ready.trySuccess(ctx.channel());
    if (activeHeld) {
      ctx.fireChannelActive();
    }
    boolean read = !held.isEmpty();
    while (!held.isEmpty()) {
      ctx.fireChannelRead(held.pollFirst());
    }
    if (read) {
      ctx.fireChannelReadComplete();
    }
    ctx.pipeline().remove(this);
  }

  private void refuse(ChannelHandlerContext ctx, SSLPeerUnverifiedException cause) {
    LOG.warn("Closing TLS connection {} {}: {}", target != null ? "to" : "from",
        target != null ? target : ctx.channel().remoteAddress(), cause.getMessage());
    ready.tryFailure(cause);
    ctx.fireExceptionCaught(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ready.tryFailure(new IOException("TLS connection " + (target != null ? "to " + target : "from "
        + ctx.channel().remoteAddress()) + " closed before it was established"));
    release();
    if (!activeHeld || open) {
      ctx.fireChannelInactive();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.pollFirst());
    }
  }
}
