package io.jmesos.it.fault;

import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;

import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.testing.Dropping;
import io.jmesos.testing.FaultCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A partition between the master and the agents, both ways: pongs are dropped (the master marks the agent
 * unreachable after its health checks) and so are the agent's re-registrations, until the partition heals.
 */
final class Partition implements AutoCloseable {
  /**
   * Enough for five pings 15 s apart to go unanswered, whatever the phase of the ping cycle when the partition
   * starts (the last pong before it may have answered a ping up to 15 s earlier).
   */
  static final Duration HEALTH_CHECKS = Duration.ofSeconds(90);

  final Dropping<PongSlaveMessage> pongs;
  final Dropping<ReregisterSlaveMessage> reregistrations;

  Partition(FaultCluster cluster) {
    pongs = cluster.messages().dropAll(PongSlaveMessage.class, TO_MASTER);
    reregistrations = cluster.messages().dropAll(ReregisterSlaveMessage.class, TO_MASTER);
  }

  /** Heals the partition and waits (up to a minute of the cluster's clock) until the agent has re-registered. */
  SlaveReregisteredMessage heal(FaultCluster cluster) throws Exception {
    CompletableFuture<SlaveReregisteredMessage> back =
        cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
    close();
    for (int i = 0; i < 60 && !back.isDone(); i++) {
      cluster.advance(Duration.ofSeconds(1));
    }
    return back.get(1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    pongs.close();
    reregistrations.close();
  }
}
