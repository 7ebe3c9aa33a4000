package io.jmesos.master.election;

import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;

/**
 * Where a master hears about leadership: Mesos' {@code MasterContender} and {@code MasterDetector} together.
 * Reports go to a {@link Candidacy} on the master's actor. {@link #start} once, then {@link #close()}
 * (idempotent; withdraws the candidacy).
 */
public interface Election extends AutoCloseable {
  /** Makes the (not yet started) Curator client of a master; the election starts and closes it. */
  @FunctionalInterface
  interface ClientFactory {
    ClientFactory DEFAULT = ZooKeeperClients::newClient;

    CuratorFramework newClient(ZooKeeperUrl url, Duration sessionTimeout);
  }

  /**
   * The election {@code flags} ask for: through ZooKeeper with {@code --zk} (a client from {@code clients}),
   * else standalone.
   *
   * @throws IllegalArgumentException when {@code --zk} is not a usable ZooKeeper URL
   */
  static Election of(MasterFlags flags, ClientFactory clients) {
    Objects.requireNonNull(clients, "clients");
    if (flags.zk() == null) {
      return new StandaloneElection();
    }
    ZooKeeperUrl url;
    try {
      url = ZooKeeperUrl.parseForDetection(flags.zk());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failed to create a master contender: " + e.getMessage(), e);
    }
    return new ZooKeeperElection(clients.newClient(url, flags.zkSessionTimeout()), url);
  }

  /** Starts contending for {@code candidacy}'s master. */
  void start(Candidacy candidacy) throws InterruptedException;

  @Override
  void close();
}
