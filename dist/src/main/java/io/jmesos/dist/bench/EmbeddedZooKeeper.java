package io.jmesos.dist.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real standalone ZooKeeper server in this process ({@link ZooKeeperServerEmbedded}, from the zookeeper jar) on
 * a free loopback port, its snapshots and transaction log (fsync'ed, ZooKeeper's default) under a directory of the
 * caller's, no admin server. For benchmarks; tests use Curator's {@code TestingServer}.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 30_000;

  private final ZooKeeperServerEmbedded server;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
    this.server = server;
    this.port = port;
  }

  static EmbeddedZooKeeper start(Path baseDir) throws Exception {
    int port = freePort();
    Properties config = new Properties();
    config.setProperty("clientPort", Integer.toString(port));
    config.setProperty("clientPortAddress", "127.0.0.1");
    config.setProperty("tickTime", "2000");
    config.setProperty("maxClientCnxns", "1000");
    config.setProperty("admin.enableServer", "false");
    ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
        .baseDir(baseDir)
        .configuration(config)
        .exitHandler(ExitHandler.LOG_ONLY)
        .build();
    server.start(START_TIMEOUT_MS);
    return new EmbeddedZooKeeper(server, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code host:port} to put in a {@code zk://} URL. */
  String connectString() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
  }
}
