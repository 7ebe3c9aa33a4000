package org.apache.mesos.state;

import java.util.concurrent.TimeUnit;

/**
 * Mesos' state in its replicated log. <b>Not available in jmesos</b>, which has no replicated log: the
 * constructors throw {@link UnsupportedOperationException}. Use {@link ZooKeeperState}, which needs the same
 * ZooKeeper ensemble and gives the same guarantees for a framework's state (versioned, atomic stores shared
 * by all its instances).
 */
public class LogState extends AbstractState {
  static final String UNSUPPORTED = "LogState (Mesos' replicated log) is not available in jmesos, which has no "
      + "replicated log: use org.apache.mesos.state.ZooKeeperState on the same ZooKeeper servers instead";

  /**
   * Throws {@link UnsupportedOperationException}.
   *
   * @param servers ZooKeeper servers, {@code host1:port1,host2:port2}
   * @param timeout the ZooKeeper session timeout
   * @param unit    the unit of {@code timeout}
   * @param znode   the znode where the log's replicas find each other
   * @param quorum  how many replicas must persist a write
   * @param path    the local replica's directory
   */
  public LogState(String servers, long timeout, TimeUnit unit, String znode, long quorum, String path) {
    initialize(servers, timeout, unit, znode, quorum, path, 0);
  }

  /**
   * Throws {@link UnsupportedOperationException}. The parameters are those of
   * {@link #LogState(String, long, TimeUnit, String, long, String)}, and {@code diffsBetweenSnapshots}: how many
   * diffs to write between snapshots.
   */
  public LogState(String servers, long timeout, TimeUnit unit, String znode, long quorum, String path,
      int diffsBetweenSnapshots) {
    initialize(servers, timeout, unit, znode, quorum, path, diffsBetweenSnapshots);
  }

  /** Throws {@link UnsupportedOperationException}: jmesos has no replicated log. */
  protected void initialize(String servers, long timeout, TimeUnit unit, String znode, long quorum, String path,
      int diffsBetweenSnapshots) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }
}
