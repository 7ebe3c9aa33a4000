package io.jmesos.transport;

import java.time.Duration;

/**
 * Bounds on what a peer may send us and how long it may take: sizes, timeouts, connection counts. Immutable;
 * {@link #DEFAULT} holds the defaults documented in docs/security.md ("Hardened inputs"), the {@code with...}
 * methods derive other limits (flags, tests).
 */
public final class Limits {
  /**
   * The defaults: HTTP bodies up to 16 MiB (a LAUNCH of many tasks), internal frames up to 64 MiB, request
   * headers up to 8 KiB read within 10 s, 30 s to show the protocol, 30 s at most between two reads of a body or
   * frame, 256 MiB of bodies and frames in flight per server, 1,000 connections per remote address, idle
   * keep-alive connections closed after 60 s while the server holds more than 1,024 HTTP connections, 60 s for a
   * response to make progress, 64 MiB of internal messages queued to a peer that does not read.
   */
  public static final Limits DEFAULT = new Limits(new Values());

  private final int maxHttpBodyBytes;
  private final int maxFrameBytes;
  private final int maxHeaderBytes;
  private final Duration identifyTimeout;
  private final Duration headerTimeout;
  private final Duration readStallTimeout;
  private final long maxBytesInFlight;
  private final int maxConnectionsPerPeer;
  private final boolean localPeersExempt;
  private final Duration idleTimeout;
  private final int idleReapThreshold;
  private final Duration writeStallTimeout;
  private final long maxOutboundBacklogBytes;

  private Limits(Values v) {
    this.maxHttpBodyBytes = v.maxHttpBodyBytes;
    this.maxFrameBytes = v.maxFrameBytes;
    this.maxHeaderBytes = v.maxHeaderBytes;
    this.identifyTimeout = v.identifyTimeout;
    this.headerTimeout = v.headerTimeout;
    this.readStallTimeout = v.readStallTimeout;
    this.maxBytesInFlight = v.maxBytesInFlight;
    this.maxConnectionsPerPeer = v.maxConnectionsPerPeer;
    this.localPeersExempt = v.localPeersExempt;
    this.idleTimeout = v.idleTimeout;
    this.idleReapThreshold = v.idleReapThreshold;
    this.writeStallTimeout = v.writeStallTimeout;
    this.maxOutboundBacklogBytes = v.maxOutboundBacklogBytes;
  }

  /** A mutable copy, to derive another {@code Limits} from; the defaults when new. */
  private static final class Values {
    int maxHttpBodyBytes = 16 << 20;
    int maxFrameBytes = 64 << 20;
    int maxHeaderBytes = 8192;
    Duration identifyTimeout = Duration.ofSeconds(30);
    Duration headerTimeout = Duration.ofSeconds(10);
    Duration readStallTimeout = Duration.ofSeconds(30);
    long maxBytesInFlight = 256L << 20;
    int maxConnectionsPerPeer = 1000;
    boolean localPeersExempt = true;
    Duration idleTimeout = Duration.ofSeconds(60);
    int idleReapThreshold = 1024;
    Duration writeStallTimeout = Duration.ofSeconds(60);
    long maxOutboundBacklogBytes = 64L << 20;

    Values() {}

    Values(Limits l) {
      maxHttpBodyBytes = l.maxHttpBodyBytes;
      maxFrameBytes = l.maxFrameBytes;
      maxHeaderBytes = l.maxHeaderBytes;
      identifyTimeout = l.identifyTimeout;
      headerTimeout = l.headerTimeout;
      readStallTimeout = l.readStallTimeout;
      maxBytesInFlight = l.maxBytesInFlight;
      maxConnectionsPerPeer = l.maxConnectionsPerPeer;
      localPeersExempt = l.localPeersExempt;
      idleTimeout = l.idleTimeout;
      idleReapThreshold = l.idleReapThreshold;
      writeStallTimeout = l.writeStallTimeout;
      maxOutboundBacklogBytes = l.maxOutboundBacklogBytes;
    }
  }

  private Limits with(java.util.function.Consumer<Values> change) {
    Values v = new Values(this);
    change.accept(v);
    return new Limits(v);
  }

  /** The largest HTTP request body; a larger one is answered 413 and its connection closed. */
  public int maxHttpBodyBytes() {
    return maxHttpBodyBytes;
  }

  /** The largest internal-protocol frame; a larger one closes the connection before it is buffered. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** The largest HTTP request head (the header lines); a larger one is answered 431 and closed. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** How long a new connection may take to show whether it speaks HTTP or the internal protocol. */
  public Duration identifyTimeout() {
    return identifyTimeout;
  }

  /** How long an HTTP request may take from its first byte to the end of its headers. */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /** The longest pause allowed in the middle of a request body or an internal frame. */
  public Duration readStallTimeout() {
    return readStallTimeout;
  }

  /** Bytes of request bodies and internal frames a server holds at once, read but not yet answered. */
  public long maxBytesInFlight() {
    return maxBytesInFlight;
  }

  /** Connections one remote address may hold open at once; 0 for no limit. */
  public int maxConnectionsPerPeer() {
    return maxConnectionsPerPeer;
  }

  /**
   * True when connections from this host (loopback, or one of its own addresses: executors, local tools) are
   * neither counted against {@link #maxConnectionsPerPeer} nor closed as idle.
   */
  public boolean localPeersExempt() {
    return localPeersExempt;
  }

  /** How long an HTTP connection may stay without a request while the server holds many (see below). */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * HTTP connections a server holds before idle ones are closed: below it an idle keep-alive connection is kept
   * as Mesos keeps it (a Mesos scheduler library takes a closed connection for a disconnection).
   */
  public int idleReapThreshold() {
    return idleReapThreshold;
  }

  /** How long an HTTP response (not a stream) may wait for the client to read any of it. */
  public Duration writeStallTimeout() {
    return writeStallTimeout;
  }

  /** Bytes of internal messages queued to a peer that does not read them before its connection is closed. */
  public long maxOutboundBacklogBytes() {
    return maxOutboundBacklogBytes;
  }

  public Limits withIdentifyTimeout(Duration timeout) {
    return with(v -> v.identifyTimeout = timeout);
  }

  public Limits withMaxHttpBodyBytes(int bytes) {
    return with(v -> v.maxHttpBodyBytes = bytes);
  }

  public Limits withMaxFrameBytes(int bytes) {
    return with(v -> v.maxFrameBytes = bytes);
  }

  /** With other read timeouts: to the end of the headers, and between two reads of a body or frame. */
  public Limits withReadTimeouts(Duration header, Duration stall) {
    return with(v -> {
      v.headerTimeout = header;
      v.readStallTimeout = stall;
    });
  }

  public Limits withMaxBytesInFlight(long bytes) {
    return with(v -> v.maxBytesInFlight = bytes);
  }

  /** With another per-address connection limit (0: none), local peers exempt from it or not. */
  public Limits withMaxConnectionsPerPeer(int connections, boolean exemptLocal) {
    return with(v -> {
      v.maxConnectionsPerPeer = connections;
      v.localPeersExempt = exemptLocal;
    });
  }

  /** With another idle timeout, applied once the server holds more than {@code threshold} HTTP connections. */
  public Limits withIdleTimeout(Duration timeout, int threshold) {
    return with(v -> {
      v.idleTimeout = timeout;
      v.idleReapThreshold = threshold;
    });
  }

  public Limits withWriteStallTimeout(Duration timeout) {
    return with(v -> v.writeStallTimeout = timeout);
  }

  public Limits withMaxOutboundBacklogBytes(long bytes) {
    return with(v -> v.maxOutboundBacklogBytes = bytes);
  }
}
