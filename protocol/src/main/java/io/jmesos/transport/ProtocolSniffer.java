package io.jmesos.transport;

import io.jmesos.http.HttpHandler;
import io.jmesos.tls.TlsContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port unification: looks at the first bytes of a new connection and installs either the HTTP pipeline or
 * the internal protocol pipeline. Anything else is answered with a 400 and closed.
 *
 * <p>With TLS on, a connection whose first byte starts a TLS handshake record ({@code 0x16}, as libprocess tells
 * them apart) gets TLS and then a sniffer of the decrypted bytes; any other connection is closed unless
 * {@code LIBPROCESS_SSL_SUPPORT_DOWNGRADE} lets it go on in plain text.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  /** Name of the read timeout that guards identification; removed once the protocol is known. */
  static final String TIMEOUT = "identify-timeout";
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolSniffer.class);
  /** The content type of a TLS handshake record: the first byte of every ClientHello. */
  private static final byte TLS_HANDSHAKE = 0x16;
  private static final String[] METHODS = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH "};
  private static final byte[] GARBAGE_REPLY = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
      + "Connection: close\r\nContent-Length: 56\r\n\r\n"
      + "Unrecognized protocol: expected HTTP or jmesos internal\n").getBytes(StandardCharsets.US_ASCII);

  private final Limits limits;
  private final HttpHandler http;
  private final ConnectionHandler internal;
  private final MessageTap tap;
  private final ReadBudget budget;
  private final PeerConnections peers;
  private final TlsContext tls;
  /** Whether this sniffer reads decrypted bytes (it comes after the TLS handler). */
  private final boolean secured;

  ProtocolSniffer(Limits limits, HttpHandler http, ConnectionHandler internal, MessageTap tap, ReadBudget budget,
      PeerConnections peers) {
    this(limits, http, internal, tap, budget, peers, TlsContext.disabled(), false);
  }

  ProtocolSniffer(Limits limits, HttpHandler http, ConnectionHandler internal, MessageTap tap, ReadBudget budget,
      PeerConnections peers, TlsContext tls, boolean secured) {
    this.tls = tls;
    this.secured = secured;
    this.limits = limits;
    this.http = http;
    this.internal = internal;
    this.tap = tap;
    this.budget = budget;
    this.peers = peers;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (tls.enabled() && !secured) {
      if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
        TlsHandlers.addServer(ctx.pipeline(), ctx.name(), tls, limits.identifyTimeout(), "sniffer-tls",
            new ProtocolSniffer(limits, http, internal, tap, budget, peers, tls, true));
        ctx.pipeline().remove(this); // the bytes read so far go on to the TLS handler
        return;
      }
      if (!tls.config().supportDowngrade()) {
        LOG.info("Dropping connection from {}: not TLS, and downgrading to plain connections is off "
            + "(LIBPROCESS_SSL_SUPPORT_DOWNGRADE)", ctx.channel().remoteAddress());
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
    }
    int n = Math.min(in.readableBytes(), 8);
    byte[] head = new byte[n];
    in.getBytes(in.readerIndex(), head);
    Match preamble = match(head, InternalProtocol.PREAMBLE);
    if (preamble == Match.FULL && internal != null) {
      in.skipBytes(InternalProtocol.PREAMBLE.length);
      ChannelPipeline p = ctx.pipeline();
      p.remove(TIMEOUT);
      InternalProtocol.install(p, limits, internal, tap, budget, true);
      p.remove(this);
      return;
    }
    boolean maybe = preamble == Match.PREFIX && internal != null;
    for (String method : METHODS) {
      Match m = match(head, method.getBytes(StandardCharsets.US_ASCII));
      if (m == Match.FULL) {
        ctx.pipeline().remove(TIMEOUT);
        HttpServerBridge.install(ctx.pipeline(), limits, http, budget, peers);
        ctx.pipeline().remove(this);
        return;
      }
      maybe |= m == Match.PREFIX;
    }
    if (maybe) {
      return; // wait for more bytes
    }
    LOG.warn("Dropping connection from {}: unrecognized protocol (first bytes {})", ctx.channel().remoteAddress(),
        hex(head));
    in.skipBytes(in.readableBytes());
    ctx.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE_REPLY)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof ReadTimeoutException) {
      LOG.info("Dropping connection from {}: no recognizable request within the identification timeout",
          ctx.channel().remoteAddress());
    } else {
      LOG.warn("Dropping connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private enum Match { FULL, PREFIX, NO }

  private static Match match(byte[] head, byte[] token) {
    int n = Math.min(head.length, token.length);
    for (int i = 0; i < n; i++) {
      if (head[i] != token[i]) {
        return Match.NO;
      }
    }
    return head.length >= token.length ? Match.FULL : Match.PREFIX;
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }
}
