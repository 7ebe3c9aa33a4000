package io.jmesos.detector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@code --master} value says the master is, as Mesos' {@code MasterDetector::create} reads it: a
 * ZooKeeper URL ({@code zk://[user:password@]host:port[,host:port]/path}) to detect the leader through, or one
 * master ({@code host:port}, {@code master@host:port}, {@code http://host:port}); {@code file:///path} names a
 * file holding one of those. Immutable.
 */
public final class MasterLocation {
  private static final String FILE = "file://";

  private final ZooKeeperUrl zooKeeper;
  private final InetSocketAddress address;

  private MasterLocation(ZooKeeperUrl zooKeeper, InetSocketAddress address) {
    this.zooKeeper = zooKeeper;
    this.address = address;
  }

  /**
   * Parses a {@code --master} value, reading {@code file://} URLs.
   *
   * @throws IllegalArgumentException with what is wrong (Mesos' words where Mesos has them)
   */
  public static MasterLocation parse(String master) {
    Objects.requireNonNull(master, "master");
    String value = master.trim();
    if (value.startsWith(FILE)) {
      String file = value.substring(FILE.length());
      String content;
      try {
        content = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("Failed to read from file at '" + file + "'", e);
      }
      return parse(content);
    }
    if (ZooKeeperUrl.isZooKeeper(value)) {
      return new MasterLocation(ZooKeeperUrl.parseForDetection(value), null);
    }
    return new MasterLocation(null, MasterAddress.resolve(value));
  }

  /** The ZooKeeper URL to detect the leading master through, when the value names one. */
  public Optional<ZooKeeperUrl> zooKeeper() {
    return Optional.ofNullable(zooKeeper);
  }

  /** The one master's address, when the value names a master rather than ZooKeeper. */
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(address);
  }

  @Override
  public String toString() {
    return zooKeeper != null ? zooKeeper.toString() : address.getHostString() + ":" + address.getPort();
  }
}
