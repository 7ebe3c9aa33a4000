package io.jmesos.zookeeper;

import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.ZooKeeperUrl;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MasterDetector} over a {@link ZooKeeperMasterDetector} with a Curator client of its own, for the
 * agent and the drivers: created from a URL, closed as one. Thread-safe, as the detector it wraps.
 */
final class ZooKeeperLeaderDetector implements MasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderDetector.class);

  private final ZooKeeperUrl url;
  private final CuratorFramework client;
  private final ZooKeeperMasterDetector detector;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ZooKeeperLeaderDetector(ZooKeeperUrl url, CuratorFramework client) {
    this.url = url;
    this.client = client;
    this.detector = new ZooKeeperMasterDetector(client, url.path());
  }

  /** Starts the client (it connects in the background) and the detection. */
  static ZooKeeperLeaderDetector start(ZooKeeperUrl url, Duration sessionTimeout) {
    CuratorFramework client = ZooKeeperClients.newClient(url, sessionTimeout);
    client.start();
    ZooKeeperLeaderDetector result = new ZooKeeperLeaderDetector(url, client);
    result.detector.start();
    LOG.info("Detecting the leading master under {} (session timeout {})", url, sessionTimeout);
    return result;
  }

  @Override
  public CompletableFuture<Optional<MasterInfo>> detect(Optional<MasterInfo> previous) {
    return detector.detect(previous);
  }

  /** Closes the detector, then its client (blocks briefly; not on an actor that the detector calls). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    detector.close();
    client.close();
    LOG.info("Stopped detecting the leading master under {}", url);
  }

  @Override
  public String toString() {
    return "ZooKeeper detector for " + url;
  }
}
