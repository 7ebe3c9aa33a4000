package io.jmesos.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.internal.state.StateProtos.Entry;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.BadVersionException;
import org.apache.zookeeper.KeeperException.NoNodeException;
import org.apache.zookeeper.KeeperException.NodeExistsException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries in ZooKeeper exactly as Mesos' {@code ZooKeeperStorage} ({@code src/state/zookeeper.cpp}) keeps them:
 * entry {@code name} is the znode {@code <znode>/<name>} (the znode without a trailing {@code /}), its data the
 * serialized {@code mesos.internal.state.Entry} (name, uuid, value), at most 1 MB, not split. A set succeeds
 * when the stored entry's uuid is the expected one, made atomic by writing with the znode version just read;
 * a missing entry is created (the znode path's ancestors first, with empty data). With credentials the client
 * authenticates ({@code digest}) and creates znodes readable by everyone and writable by their creator, without
 * them open to all, as Mesos. Names are the children of {@code znode}.
 *
 * <p>Mesos queues operations while disconnected and waits for ever; here an operation that cannot complete
 * because ZooKeeper is unreachable (connection loss, operation timeout, session expired or moved: Mesos'
 * retryable errors) is retried after reconnecting until {@code timeout} after it was submitted, then fails with
 * the last error. A retried set recognises its own earlier write by the new uuid, where Mesos reports it as
 * stale.
 */
public final class ZooKeeperStorage extends SerialStorage {
  /** Mesos' limit on a serialized entry. */
  public static final int MAX_ENTRY_BYTES = 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperStorage.class);
  private static final long RETRY_PAUSE_MILLIS = 100;

  private final CuratorFramework client;
  private final String servers;
  private final String znode;
  private final List<ACL> acl;
  private final long timeoutNanos;

  /**
   * Connects (in the background) to {@code servers} with {@code timeout} as session timeout and as the bound on
   * each operation. With both {@code scheme} and {@code credentials} it authenticates with them.
   */
  public ZooKeeperStorage(String servers, Duration timeout, String znode, String scheme, byte[] credentials) {
    super("zookeeper-state");
    this.servers = servers;
    this.znode = znode.endsWith("/") ? znode.substring(0, znode.length() - 1) : znode;
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    boolean authenticate = scheme != null && credentials != null;
    this.acl = authenticate ? ZooKeeperClients.EVERYONE_READ_CREATOR_ALL : Ids.OPEN_ACL_UNSAFE;
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
        .connectString(servers)
        .sessionTimeoutMs(millis)
        .connectionTimeoutMs(millis)
        .retryPolicy(new RetryNTimes(0, 0)) // Whole operations are retried, below.
        .ensembleTracker(false); // Mesos follows no reconfiguration either; it would retry in the background.
    if (authenticate) {
      builder.authorization(scheme, credentials.clone());
    }
    client = builder.build();
    client.start();
    LOG.info("State in ZooKeeper {} under '{}'{}", servers, this.znode, authenticate ? " as " + scheme : "");
  }

  @Override
  public CompletableFuture<Optional<Entry>> get(String name) {
    long deadline = deadline();
    return submit(() -> retrying(deadline, () -> doGet(name)));
  }

  @Override
  public CompletableFuture<Boolean> set(Entry entry, ByteString uuid) {
    long deadline = deadline();
    return submit(() -> retrying(deadline, () -> doSet(entry, uuid)));
  }

  @Override
  public CompletableFuture<Boolean> expunge(Entry entry) {
    long deadline = deadline();
    return submit(() -> retrying(deadline, () -> doExpunge(entry)));
  }

  @Override
  public CompletableFuture<Set<String>> names() {
    long deadline = deadline();
    return submit(() -> retrying(deadline, this::doNames));
  }

  @Override
  void closed() {
    client.close();
  }

  private Optional<Entry> doGet(String name) throws InterruptedException {
    String path = path(name);
    Stat stat = new Stat();
    try {
      return Optional.of(parse(client.getData().storingStatIn(stat).forPath(path)));
    } catch (NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw failure("Failed to get '" + path + "'", e);
    }
  }

  private boolean doSet(Entry entry, ByteString uuid) throws InterruptedException {
    byte[] data = entry.toByteArray();
    if (data.length > MAX_ENTRY_BYTES) {
      throw new StorageException("Serialized data is too big (> 1 MB)");
    }
    String path = path(entry.getName());
    Stat stat = new Stat();
    Entry current;
    try {
      current = parse(client.getData().storingStatIn(stat).forPath(path));
    } catch (NoNodeException e) {
      return create(path, data);
    } catch (Exception e) {
      throw failure("Failed to get '" + path + "'", e);
    }
    if (current.getUuid().equals(entry.getUuid())) {
      return true; // Written by an earlier attempt of this set, whose answer was lost with the connection.
    }
    if (!current.getUuid().equals(uuid)) {
      return false;
    }
    try {
      client.setData().withVersion(stat.getVersion()).forPath(path, data);
      return true;
    } catch (BadVersionException e) {
      return false;
    } catch (Exception e) {
      throw failure("Failed to set '" + path + "'", e);
    }
  }

  private boolean create(String path, byte[] data) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        client.create().withMode(CreateMode.PERSISTENT).withACL(acl).forPath(path, data);
        return true;
      } catch (NodeExistsException e) {
        return false; // Lost a race with another writer.
      } catch (NoNodeException e) {
        if (attempt > 0) {
          throw failure("Failed to create '" + path + "'", e);
        }
        createAncestors();
      } catch (Exception e) {
        throw failure("Failed to create '" + path + "'", e);
      }
    }
  }

  /** Creates each prefix of the znode path, as Mesos does before creating an entry. */
  private void createAncestors() throws InterruptedException {
    for (int index = znode.indexOf('/', 1); ; index = znode.indexOf('/', index + 1)) {
      String prefix = index < 0 ? znode : znode.substring(0, index);
      if (!prefix.isEmpty()) {
        try {
          client.create().withMode(CreateMode.PERSISTENT).withACL(acl).forPath(prefix, new byte[0]);
        } catch (NodeExistsException e) {
          // Already there.
        } catch (Exception e) {
          throw failure("Failed to create '" + prefix + "'", e);
        }
      }
      if (index < 0) {
        return;
      }
    }
  }

  private boolean doExpunge(Entry entry) throws InterruptedException {
    String path = path(entry.getName());
    Stat stat = new Stat();
    Entry current;
    try {
      current = parse(client.getData().storingStatIn(stat).forPath(path));
    } catch (NoNodeException e) {
      return false;
    } catch (Exception e) {
      throw failure("Failed to get '" + path + "'", e);
    }
    if (!current.getUuid().equals(entry.getUuid())) {
      return false;
    }
    try {
      client.delete().withVersion(stat.getVersion()).forPath(path);
      return true;
    } catch (BadVersionException | NoNodeException e) {
      return false; // Changed or removed since it was read.
    } catch (Exception e) {
      throw failure("Failed to remove '" + path + "'", e);
    }
  }

  private Set<String> doNames() throws InterruptedException {
    try {
      return new TreeSet<>(client.getChildren().forPath(znode.isEmpty() ? "/" : znode));
    } catch (Exception e) {
      throw failure("Failed to get children of '" + znode + "'", e);
    }
  }

  private String path(String name) {
    return znode + "/" + name;
  }

  private static Entry parse(byte[] data) {
    try {
      return Entry.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("Failed to deserialize Entry", e);
    }
  }

  /** Tries {@code attempt} until it succeeds, fails for good, or the deadline passes. */
  private <T> T retrying(long deadline, Attempt<T> attempt) throws InterruptedException {
    String last = null;
    while (true) {
      if (!client.getZookeeperClient().isConnected()) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0 || !client.blockUntilConnected((int) Math.min(Integer.MAX_VALUE, remaining),
            TimeUnit.MILLISECONDS)) {
          throw new StorageException(last != null ? last
              : "Failed to connect to ZooKeeper at '" + servers + "' within the timeout");
        }
      }
      try {
        return attempt.run();
      } catch (RetryLater e) {
        last = e.getMessage();
        LOG.debug("Retrying: {}", last);
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
          throw new StorageException(last);
        }
        if (client.getZookeeperClient().isConnected()) {
          Thread.sleep(Math.min(RETRY_PAUSE_MILLIS, remaining));
        }
      }
    }
  }

  /** The exception for a failed ZooKeeper call: try again (Mesos' retryable errors) or fail. */
  private static RuntimeException failure(String what, Exception e) throws InterruptedException {
    if (e instanceof InterruptedException) {
      throw (InterruptedException) e;
    }
    if (e instanceof StorageException) {
      return (StorageException) e;
    }
    if (e instanceof KeeperException) {
      KeeperException keeper = (KeeperException) e;
      String message = what + " in ZooKeeper: " + ZooKeeperErrors.message(keeper);
      return ZooKeeperErrors.retryable(keeper.code()) ? new RetryLater(message) : new StorageException(message, e);
    }
    return new StorageException(what + " in ZooKeeper: " + e.getMessage(), e);
  }

  private long deadline() {
    return System.nanoTime() + timeoutNanos;
  }

  @FunctionalInterface
  private interface Attempt<T> {
    T run() throws InterruptedException;
  }

  /** A retryable failure, with the message to fail with if there is no time left to retry. */
  private static final class RetryLater extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryLater(String message) {
      super(message, null, false, false);
    }
  }
}
