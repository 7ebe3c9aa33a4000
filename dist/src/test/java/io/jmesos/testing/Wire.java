package io.jmesos.testing;

import io.jmesos.internal.Messages.Envelope;
import io.jmesos.transport.Connection;
import io.jmesos.transport.MessageTap;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The taps on both ends of every master/agent connection, and the count of what is on the wire.
 *
 * <p>Interception happens where a message arrives: at the master's tap for {@link Direction#TO_MASTER}, at
 * the agent's for {@link Direction#TO_AGENT}, so "delivered" means handed to the receiver's handler (which
 * enqueues it on the receiver's actor). Sending taps only count: a message is in flight from the moment
 * its sender writes it until its receiver's tap has it, unless the receiving end of the connection has
 * closed meanwhile (then it never arrives). The two {@link Connection}s of one TCP connection are paired by
 * address: the agent end's local address is the master end's remote address. Late deliveries (released
 * held messages) count as in flight until the receiver's handler has them.
 *
 * <p>Thread-safe.
 */
final class Wire {
  /** An intercepted message: its direction, the agent it comes from or goes to (-1: unknown) and itself. */
  record Item(Direction direction, int agent, Envelope envelope) {}

  private final Rules<Item> rules;
  private final Map<SocketAddress, Link> links = new ConcurrentHashMap<>();
  private final AtomicInteger lateDeliveries = new AtomicInteger();

  Wire(Rules<Item> rules) {
    this.rules = rules;
  }

  Rules<Item> rules() {
    return rules;
  }

  MessageTap masterTap() {
    return new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        Link link = link(connection.remoteAddress());
        link.masterEnd = connection;
        link.toMasterArrived.incrementAndGet();
        arrived(new Item(Direction.TO_MASTER, link.agent, envelope), connection, deliver);
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        Link link = link(connection.remoteAddress());
        link.masterEnd = connection;
        link.toAgentWritten.incrementAndGet();
        send.run();
      }
    };
  }

  MessageTap agentTap(int agent) {
    return new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        Link link = link(connection.localAddress());
        link.agent = agent;
        link.agentEnd = connection;
        link.toAgentArrived.incrementAndGet();
        arrived(new Item(Direction.TO_AGENT, agent, envelope), connection, deliver);
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        Link link = link(connection.localAddress());
        link.agent = agent; // before the write: the master's tap learns whose connection it is from this
        link.agentEnd = connection;
        link.toMasterWritten.incrementAndGet();
        send.run();
      }
    };
  }

  private Link link(SocketAddress agentEnd) {
    return links.computeIfAbsent(agentEnd, a -> new Link());
  }

  private void arrived(Item item, Connection connection, Runnable deliver) {
    rules.handle(item, new Rules.Delivery() {
      @Override
      public void now() {
        deliver.run();
      }

      @Override
      public void later(Runnable then) {
        lateDeliveries.incrementAndGet();
        try {
          connection.execute(() -> {
            try {
              deliver.run();
              then.run();
            } finally {
              lateDeliveries.decrementAndGet();
            }
          });
        } catch (RejectedExecutionException e) {
          lateDeliveries.decrementAndGet(); // the transport is gone, and the message with it
        }
      }
    });
  }

  /**
   * Closes the agent end of every open connection of agent {@code agent}, as a reset TCP connection would;
   * returns the master's ends of those connections (each closes once the master's side notices).
   */
  List<Connection> closeAgentEnds(int agent) {
    List<Connection> masterEnds = new ArrayList<>();
    for (Link link : links.values()) {
      Connection end = link.agentEnd;
      if (link.agent == agent && end != null && end.isOpen()) {
        end.close();
        if (link.masterEnd != null) {
          masterEnds.add(link.masterEnd);
        }
      }
    }
    return masterEnds;
  }

  /** What is on the wire or being delivered late, as text; null when nothing is. */
  String inFlight() {
    List<String> busy = new ArrayList<>();
    links.forEach((address, link) -> {
      boolean agentOpen = link.agentEnd == null || link.agentEnd.isOpen();
      boolean masterOpen = link.masterEnd == null || link.masterEnd.isOpen();
      long toAgent = agentOpen ? link.toAgentWritten.get() - link.toAgentArrived.get() : 0;
      long toMaster = masterOpen ? link.toMasterWritten.get() - link.toMasterArrived.get() : 0;
      if (toAgent > 0 || toMaster > 0) {
        busy.add("agent " + link.agent + " connection " + address + ": " + toMaster + " message(s) to the master, "
            + toAgent + " to the agent in flight");
      } else if (!agentOpen && !masterOpen) {
        links.remove(address, link);
      }
    });
    int late = lateDeliveries.get();
    if (late > 0) {
      busy.add(late + " released message(s) being delivered");
    }
    return busy.isEmpty() ? null : String.join("; ", busy);
  }

  /** Counts of one TCP connection between the master and an agent. */
  private static final class Link {
    volatile int agent = -1;
    volatile Connection masterEnd;
    volatile Connection agentEnd;
    final AtomicLong toAgentWritten = new AtomicLong();
    final AtomicLong toAgentArrived = new AtomicLong();
    final AtomicLong toMasterWritten = new AtomicLong();
    final AtomicLong toMasterArrived = new AtomicLong();
  }
}
