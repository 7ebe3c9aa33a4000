package io.jmesos.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts one server's open connections, in all and by remote address, and refuses a connection beyond
 * {@link Limits#maxConnectionsPerPeer()} from one address, so that one host cannot take all of a daemon's file
 * descriptors. Connections from this host (loopback, or one of its own addresses: the agent's executors, local
 * tools, benchmarks) are exempt when {@link Limits#localPeersExempt()}. Refusals are logged at most every 10 s.
 * Thread-safe.
 */
final class PeerConnections {
  private static final Logger LOG = LoggerFactory.getLogger(PeerConnections.class);

  private final String server;
  private final int maxPerPeer;
  private final Set<InetAddress> local;
  private final ConcurrentHashMap<InetAddress, Integer> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private static final AttributeKey<AtomicBoolean> COUNTED = AttributeKey.valueOf("jmesos.httpCounted");

  private final AtomicInteger http = new AtomicInteger();
  private final Throttle refusals = new Throttle(10, TimeUnit.SECONDS);

  PeerConnections(String server, Limits limits) {
    this.server = server;
    this.maxPerPeer = limits.maxConnectionsPerPeer();
    this.local = limits.localPeersExempt() ? localAddresses() : Set.of();
  }

  /**
   * Admits a new connection, counted until it closes; false if its address already has the most it may have
   * (the caller then closes it).
   */
  boolean admit(Channel channel) {
    InetAddress peer = address(channel.remoteAddress());
    if (maxPerPeer <= 0 || peer == null || isLocal(peer)) {
      count(channel);
      return true;
    }
    if (byPeer.merge(peer, 1, Integer::sum) > maxPerPeer) {
      release(peer);
      if (refusals.allow()) {
        LOG.warn("{} refused a connection from {}: it already has {} open (the most one address may have); {} "
            + "refused in all", server, peer.getHostAddress(), maxPerPeer, refusals.events());
      }
      return false;
    }
    channel.closeFuture().addListener(f -> release(peer));
    count(channel);
    return true;
  }

  private void count(Channel channel) {
    open.incrementAndGet();
    channel.closeFuture().addListener(f -> open.decrementAndGet());
  }

  /** Connections admitted and still open. */
  int open() {
    return open.get();
  }

  private void release(InetAddress peer) {
    byPeer.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
  }

  /** Notes an HTTP connection until it closes (the idle reaping looks at how many there are). */
  void http(Channel channel) {
    AtomicBoolean counted = new AtomicBoolean(true);
    channel.attr(COUNTED).set(counted);
    http.incrementAndGet();
    channel.closeFuture().addListener(f -> {
      if (counted.compareAndSet(true, false)) {
        http.decrementAndGet();
      }
    });
  }

  /**
   * Whether the idle HTTP connection may be closed: true, and it no longer counts, while more than
   * {@code threshold} are open. One decision at a time: two connections idle at once on different event loops
   * could otherwise both see two open and both go, leaving fewer than the threshold (the count only drops when a
   * close completes).
   */
  boolean reapHttp(Channel channel, int threshold) {
    AtomicBoolean counted = channel.attr(COUNTED).get();
    if (counted == null) {
      return false;
    }
    while (true) {
      int open = http.get();
      if (open <= threshold) {
        return false;
      }
      if (http.compareAndSet(open, open - 1)) {
        if (counted.compareAndSet(true, false)) {
          return true;
        }
        http.incrementAndGet(); // closing already, and uncounted by its close: undo
        return false;
      }
    }
  }

  int httpConnections() {
    return http.get();
  }

  /** Connections open from {@code peer} (0 for an exempt one). */
  int connections(InetAddress peer) {
    return byPeer.getOrDefault(peer, 0);
  }

  long refused() {
    return refusals.events();
  }

  boolean isLocal(SocketAddress remote) {
    InetAddress peer = address(remote);
    return peer != null && isLocal(peer);
  }

  private boolean isLocal(InetAddress peer) {
    return !local.isEmpty() && (peer.isLoopbackAddress() || local.contains(peer));
  }

  private static InetAddress address(SocketAddress remote) {
    return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : null;
  }

  private static Set<InetAddress> localAddresses() {
    Set<InetAddress> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        addresses.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      LOG.warn("Cannot list this host's addresses ({}): only loopback peers are taken as local", e.toString());
    }
    addresses.add(InetAddress.getLoopbackAddress());
    return Set.copyOf(addresses);
  }
}
