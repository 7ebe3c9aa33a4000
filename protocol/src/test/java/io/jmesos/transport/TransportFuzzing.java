package io.jmesos.transport;

import io.jmesos.http.HttpHandler;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A test seam for the fuzz tests ({@code io.jmesos.fuzz}): the server's HTTP and internal-protocol pipelines on
 * embedded channels that share one server's bytes in flight, as a {@link MesosServer}'s connections do.
 */
public final class TransportFuzzing {
  private final Limits limits;
  private final ReadBudget budget;
  private final PeerConnections peers;

  public TransportFuzzing(Limits limits) {
    this.limits = limits;
    this.budget = new ReadBudget(limits.maxBytesInFlight());
    this.peers = new PeerConnections("fuzz", limits.withMaxConnectionsPerPeer(0, false));
  }

  /** A connection already identified as HTTP: what it reads goes to the codec, then to {@code handler}. */
  public EmbeddedChannel http(HttpHandler handler) {
    EmbeddedChannel channel = new EmbeddedChannel();
    HttpServerBridge.install(channel.pipeline(), limits, handler, budget, peers);
    return channel;
  }

  /** A connection already identified as internal (the preamble read): frames, envelopes, then {@code handler}. */
  public EmbeddedChannel internal(ConnectionHandler handler) {
    EmbeddedChannel channel = new EmbeddedChannel();
    InternalProtocol.install(channel.pipeline(), limits, handler, MessageTap.NONE, budget, true);
    return channel;
  }

  /** Bytes of bodies and frames held across this server's channels now. */
  public long bytesInFlight() {
    return budget.used();
  }
}
