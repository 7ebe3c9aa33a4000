package org.apache.mesos.state;

import io.jmesos.state.ZooKeeperStorage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link State} in ZooKeeper, interchangeable with Mesos': each variable is the znode {@code <znode>/<name>}
 * holding a serialized {@code mesos.internal.state.Entry} (name, uuid, value), so variables written by a
 * framework on the Mesos jar are read unchanged and the reverse (see {@link ZooKeeperStorage}). A serialized
 * entry may not exceed 1 MB (the store fails: "Serialized data is too big (&gt; 1 MB)"). {@code names()} fails
 * while nothing was ever stored under {@code znode} (it does not exist yet), as in Mesos.
 *
 * <p>Pure Java on Apache Curator. The connection is made in the background; operations wait for it. The
 * {@code timeout} is the ZooKeeper session timeout, as in Mesos (which rounds it down to seconds), and also
 * bounds how long an operation waits for ZooKeeper: one that cannot reach it for that long fails (Mesos waits
 * for ever).
 */
public class ZooKeeperState extends AbstractState {
  /**
   * @param servers ZooKeeper servers, {@code host1:port1,host2:port2}
   * @param timeout the ZooKeeper session timeout
   * @param unit    the unit of {@code timeout}
   * @param znode   the znode under which the variables are kept
   */
  public ZooKeeperState(String servers, long timeout, TimeUnit unit, String znode) {
    initialize(servers, timeout, unit, znode);
  }

  /**
   * As {@link #ZooKeeperState(String, long, TimeUnit, String)}, authenticating with {@code scheme} (e.g.
   * {@code digest}) and {@code credentials} (e.g. {@code user:password}) when both are given; the znodes created
   * are then readable by everyone and writable only by those credentials.
   */
  public ZooKeeperState(String servers, long timeout, TimeUnit unit, String znode, String scheme,
      byte[] credentials) {
    initialize(servers, timeout, unit, znode, scheme, credentials);
  }

  protected void initialize(String servers, long timeout, TimeUnit unit, String znode) {
    initialize(servers, timeout, unit, znode, null, null);
  }

  protected void initialize(String servers, long timeout, TimeUnit unit, String znode, String scheme,
      byte[] credentials) {
    attach(new ZooKeeperStorage(servers, Duration.ofMillis(unit.toMillis(timeout)), znode, scheme, credentials));
  }
}
