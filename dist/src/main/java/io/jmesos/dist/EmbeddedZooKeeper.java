package io.jmesos.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server in this process (the real {@code org.apache.zookeeper} server, as
 * {@code ZooKeeperServerMain} runs it, without its admin HTTP server), for {@code mesos-local --zk}: masters
 * contend and keep their registry in it, agents and frameworks find the leader in it. Its data (snapshots and
 * transaction log) lives in a directory it is given, so a restart with the same directory finds the znodes
 * again. Not for production: one server is no ensemble.
 *
 * <p>Threading: {@link #start} and {@link #close()} from one thread; the server runs on ZooKeeper's own
 * threads.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  /**
   * ZooKeeper's tick. A server grants session timeouts between 2 and 20 ticks: 1s allows Mesos' default
   * {@code --zk_session_timeout=10secs} and anything down to 2 seconds.
   */
  public static final int TICK_MILLIS = 1000;
  private static final int MAX_CLIENT_CONNECTIONS = 100;

  private final FileTxnSnapLog log;
  private final ZooKeeperServer server;
  private final ServerCnxnFactory connections;
  private final InetSocketAddress address;
  private boolean closed;

  private EmbeddedZooKeeper(FileTxnSnapLog log, ZooKeeperServer server, ServerCnxnFactory connections,
      InetSocketAddress address) {
    this.log = log;
    this.server = server;
    this.connections = connections;
    this.address = address;
  }

  /**
   * Starts a server on {@code ip:port} (port 0: any free port) keeping its data under {@code dataDir}.
   *
   * @throws UncheckedIOException when the port cannot be bound or the data cannot be read or written
   */
  public static EmbeddedZooKeeper start(String ip, int port, Path dataDir) throws InterruptedException {
    Objects.requireNonNull(ip, "ip");
    FileTxnSnapLog log = null;
    ServerCnxnFactory connections = null;
    try {
      Files.createDirectories(dataDir);
      log = new FileTxnSnapLog(dataDir.toFile(), dataDir.toFile());
      ZooKeeperServer server = new ZooKeeperServer(log, TICK_MILLIS, -1, -1, -1, null, "");
      connections = ServerCnxnFactory.createFactory(new InetSocketAddress(ip, port), MAX_CLIENT_CONNECTIONS);
      connections.startup(server);
      InetSocketAddress bound = new InetSocketAddress(ip, connections.getLocalPort());
      LOG.info("ZooKeeper server listening on {} with its data in {}", bound, dataDir);
      return new EmbeddedZooKeeper(log, server, connections, bound);
    } catch (IOException e) {
      if (connections != null) {
        connections.shutdown();
      }
      closeQuietly(log);
      throw new UncheckedIOException("Failed to start a ZooKeeper server on " + ip + ":" + port + ": "
          + e.getMessage(), e);
    }
  }

  /** The address clients connect to. */
  public InetSocketAddress address() {
    return address;
  }

  /** {@code host:port}, as a ZooKeeper connect string. */
  public String connectString() {
    return address.getHostString() + ":" + address.getPort();
  }

  /** Stops serving and closes the data files; idempotent. Sessions of connected clients end with it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    connections.shutdown();
    server.shutdown();
    closeQuietly(log);
    LOG.info("ZooKeeper server on {} stopped", address);
  }

  private static void closeQuietly(FileTxnSnapLog log) {
    if (log == null) {
      return;
    }
    try {
      log.close();
    } catch (IOException e) {
      LOG.warn("Could not close ZooKeeper's data files: {}", e.toString());
    }
  }
}
