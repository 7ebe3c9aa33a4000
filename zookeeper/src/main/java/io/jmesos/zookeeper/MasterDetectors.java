package io.jmesos.zookeeper;

import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterLocation;
import java.time.Duration;

/**
 * Mesos' {@code MasterDetector::create}: the detector for a {@code --master} value. A ZooKeeper URL (directly or
 * in a {@code file://}) gives a detector watching that group through its own Curator client; anything else names
 * one master and gives a standalone detector.
 */
public final class MasterDetectors {
  private MasterDetectors() {}

  /**
   * A started detector for {@code master}; the caller closes it.
   *
   * @param zkSessionTimeout the ZooKeeper session timeout (Mesos' {@code --zk_session_timeout}, 10 s by default)
   * @throws IllegalArgumentException when {@code master} is not a valid {@code --master} value
   */
  public static MasterDetector create(String master, Duration zkSessionTimeout) {
    MasterLocation location = MasterLocation.parse(master);
    if (location.zooKeeper().isPresent()) {
      return ZooKeeperLeaderDetector.start(location.zooKeeper().get(), zkSessionTimeout);
    }
    return MasterDetector.standalone(location.address().orElseThrow());
  }
}
