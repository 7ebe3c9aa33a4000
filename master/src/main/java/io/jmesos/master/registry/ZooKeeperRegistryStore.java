package io.jmesos.master.registry;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in ZooKeeper under {@code <path>/registry}, for {@code --zk} (Mesos keeps it in its replicated log
 * instead), laid out for tens of thousands of agents within ZooKeeper's ~1 MiB limit per request.
 *
 * <p>The agents are split into shards (see {@link ZooKeeperRegistryShards}); each non-empty shard is a znode that
 * is never modified, and the head znode names the current shard znodes and holds the rest of the registry (see
 * {@code registry_store.proto}). A store creates znodes only for the shards whose bytes changed since this store's
 * last fetch or store, named with the new generation, then switches the head with a version check: that check is
 * the fencing. A store that loses the switch deletes what it created; a winner deletes the znodes it replaced; a
 * fetch deletes what failed stores left behind, under the rule in {@link ZooKeeperRegistryLayout}.
 *
 * <p>Limits: a shard or the head must fit {@link #MAX_NODE_BYTES}; a store that would exceed it doubles the shard
 * count (every shard is rewritten once) up to {@link #MAX_SHARDS}, then fails with {@link IllegalStateException}.
 * With 64 shards and agents of about 400 bytes the first doubling comes near 140,000 agents (a production-like
 * 50,000 take 13 MB, largest shard about 210 KB); ZooKeeper, which holds every znode in memory and ships the whole
 * registry to each new leader, is the practical limit long before 4,096 shards are.
 *
 * <p>A shard znode holds a {@code Registry} with that shard's entries only; a fetch returns the agents grouped by
 * shard (each shard in the order it was stored), not in the order they were stored.
 *
 * <p>A lost connection is retried by Curator; when the outcome of the switch stays unknown, the store re-reads the
 * head, which tells whether the switch happened (its generation and writer token are this call's). Used from one
 * thread (see {@link RegistryStore}); calls block, interruptibly, and the client stays the caller's to close.
 */
public final class ZooKeeperRegistryStore implements RegistryStore {
  /** The shard count of a new registry. */
  public static final int DEFAULT_SHARDS = 64;
  /** The shard count never grows past this. */
  public static final int MAX_SHARDS = 4096;
  /** The largest znode this store writes, well under ZooKeeper's default {@code jute.maxbuffer} of 1 MiB. */
  public static final int MAX_NODE_BYTES = 900 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperRegistryStore.class);
  /** A fetch that finds a shard deleted under it (a concurrent store) starts over this many times in all. */
  private static final int FETCH_ATTEMPTS = 3;

  private final CuratorFramework client;
  private final ZooKeeperRegistryLayout layout;
  private final ZooKeeperRegistryFanOut fanOut;
  private final int initialShards;
  private final int maxNodeBytes;
  private final SecureRandom random = new SecureRandom();

  /** What this store last fetched or stored; null before the first fetch. */
  private Seen seen;
  private boolean closed;

  /** A store under {@code basePath} (the {@code --zk} URL's path, e.g. {@code /mesos}) with a started client. */
  public ZooKeeperRegistryStore(CuratorFramework client, String basePath) {
    this(client, basePath, DEFAULT_SHARDS, MAX_NODE_BYTES);
  }

  ZooKeeperRegistryStore(CuratorFramework client, String basePath, int initialShards, int maxNodeBytes) {
    this.client = requireNonNull(client, "client");
    this.layout = new ZooKeeperRegistryLayout(requireNonNull(basePath, "basePath"));
    this.fanOut = new ZooKeeperRegistryFanOut(client);
    if (initialShards < 1 || initialShards > MAX_SHARDS) {
      throw new IllegalArgumentException("Shard count must be in [1, " + MAX_SHARDS + "]: " + initialShards);
    }
    this.initialShards = initialShards;
    this.maxNodeBytes = maxNodeBytes;
  }

  /** The head and shards this store last read or wrote. */
  private record Seen(int headVersion, long generation, String[] names, byte[][] shards) {
    /** Nothing stored yet: there is no head (version -1); the first generation goes past any leftover node. */
    static Seen empty(int shardCount, long leftoverGeneration) {
      String[] names = new String[shardCount];
      byte[][] shards = new byte[shardCount][];
      Arrays.fill(names, "");
      Arrays.fill(shards, new byte[0]);
      return new Seen(-1, leftoverGeneration, names, shards);
    }
  }

  @Override
  public Registry fetch() throws Exception {
    ensureOpen();
    long start = System.nanoTime();
    for (int attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
      Optional<Registry> registry = tryFetch(start);
      if (registry.isPresent()) {
        return registry.get();
      }
    }
    throw new IOException("The registry at " + describe() + " changed under " + FETCH_ATTEMPTS
        + " fetches in a row");
  }

  /** The registry, or nothing when a shard went away under the read because a concurrent store replaced it. */
  private Optional<Registry> tryFetch(long start) throws Exception {
    Stat stat = new Stat();
    byte[] data;
    try {
      data = client.getData().storingStatIn(stat).forPath(layout.head());
    } catch (KeeperException.NoNodeException e) {
      seen = Seen.empty(initialShards, ZooKeeperRegistryLayout.maxGeneration(children()));
      LOG.info("Fetched an empty registry from {} (no head yet)", describe());
      return Optional.of(Registry.getDefaultInstance());
    }
    RegistryHead head = parseHead(data);
    List<String> paths = new ArrayList<>();
    for (String name : head.getShardsList()) {
      if (!name.isEmpty()) {
        paths.add(layout.path(name));
      }
    }
    List<byte[]> read;
    try {
      read = fanOut.getAll(paths);
    } catch (KeeperException.NoNodeException e) {
      Stat now = client.checkExists().forPath(layout.head());
      if (now == null || now.getVersion() != stat.getVersion()) {
        LOG.info("Registry at {} changed during a fetch of generation {}, fetching again", describe(),
            head.getGeneration());
        return Optional.empty();
      }
      throw new IOException("The registry head " + layout.head() + " (generation " + head.getGeneration()
          + ") names " + e.getPath() + ", which does not exist", e);
    }
    String[] names = head.getShardsList().toArray(new String[0]);
    byte[][] shards = new byte[names.length][];
    List<Registry> parsed = new ArrayList<>(names.length);
    int next = 0;
    long bytes = data.length;
    for (int i = 0; i < names.length; i++) {
      shards[i] = names[i].isEmpty() ? new byte[0] : read.get(next++);
      bytes += shards[i].length;
      parsed.add(parseShard(names[i], shards[i]));
    }
    Registry registry = ZooKeeperRegistryShards.merge(head.getRest(), parsed);
    seen = new Seen(stat.getVersion(), head.getGeneration(), names, shards);
    int collected = collectGarbage(head);
    LOG.info("Fetched registry generation {} from {} ({} agents, {} bytes in {} shards, {} stale nodes deleted) "
        + "in {} ms", head.getGeneration(), describe(), ZooKeeperRegistryShards.agents(registry), bytes,
        names.length, collected, (System.nanoTime() - start) / 1_000_000);
    return Optional.of(registry);
  }

  @Override
  public void store(Registry registry) throws Exception {
    requireNonNull(registry, "registry");
    ensureOpen();
    if (seen == null) {
      throw new IllegalStateException("The registry at " + describe() + " must be fetched before it is stored");
    }
    long start = System.nanoTime();
    ZooKeeperRegistryShards.Split split =
        ZooKeeperRegistryShards.split(registry, seen.names().length, maxNodeBytes, MAX_SHARDS);
    if (split.count != seen.names().length) {
      LOG.info("Registry at {} grows from {} to {} shards to keep each under {} bytes", describe(),
          seen.names().length, split.count, maxNodeBytes);
    }
    long generation = seen.generation() + 1;
    String writer = String.format(Locale.ROOT, "%016x", random.nextLong());
    String[] names = new String[split.count];
    Map<String, byte[]> created = new LinkedHashMap<>();
    for (int i = 0; i < split.count; i++) {
      boolean unchanged = split.count == seen.names().length && Arrays.equals(split.shards[i], seen.shards()[i]);
      if (unchanged) {
        names[i] = seen.names()[i];
      } else if (split.shards[i].length == 0) {
        names[i] = "";
      } else {
        names[i] = ZooKeeperRegistryLayout.shardName(i, generation, writer);
        created.put(layout.path(names[i]), split.shards[i]);
      }
    }
    byte[] head = RegistryHead.newBuilder()
        .setGeneration(generation)
        .setShardCount(split.count)
        .addAllShards(Arrays.asList(names))
        .setRest(ZooKeeperRegistryShards.rest(registry))
        .setWriter(writer)
        .build()
        .toByteArray();
    if (head.length > maxNodeBytes) {
      throw new IllegalStateException("The registry head would hold " + head.length + " bytes, over the "
          + maxNodeBytes + "-byte limit of a ZooKeeper node (too many weights or quotas?)");
    }

    try {
      fanOut.createAll(created);
    } catch (Exception e) {
      if (!(e instanceof InterruptedException)) {
        deleteQuietly(created.keySet());
      }
      throw e;
    }
    int headVersion = switchHead(head, generation, writer, created.keySet());

    List<String> replaced = new ArrayList<>();
    Set<String> kept = new HashSet<>(Arrays.asList(names));
    for (String name : seen.names()) {
      if (!name.isEmpty() && !kept.contains(name)) {
        replaced.add(layout.path(name));
      }
    }
    seen = new Seen(headVersion, generation, names, split.shards);
    deleteQuietly(replaced);
    LOG.debug("Stored registry generation {} at {} ({} of {} shards written, {} replaced) in {} ms", generation,
        describe(), created.size(), split.count, replaced.size(), (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Points the head at the new shards if nobody switched it since {@link #seen}, and returns its new version.
   * When the outcome is not clearly a success, the head is read again: if it carries this call's generation and
   * writer, the switch did happen (the answer was lost, or a retry after a lost connection met its own write).
   * Otherwise the created znodes that the current head does not name are deleted, and the store is fenced if the
   * head moved, or fails with the original error if it did not.
   */
  private int switchHead(byte[] head, long generation, String writer, Set<String> created) throws Exception {
    try {
      if (seen.headVersion() < 0) {
        client.create().creatingParentsIfNeeded().forPath(layout.head(), head);
        return 0;
      }
      return client.setData().withVersion(seen.headVersion()).forPath(layout.head(), head).getVersion();
    } catch (InterruptedException e) {
      // The outcome is unknown; the created znodes stay for a later fetch to collect if they end up unnamed.
      throw e;
    } catch (Exception e) {
      Stat stat = new Stat();
      Optional<RegistryHead> current;
      try {
        current = readHead(stat);
      } catch (Exception again) {
        e.addSuppressed(again);
        throw e;
      }
      ZooKeeperRegistryOutcome outcome = ZooKeeperRegistryOutcome.judge(current, stat.getVersion(), generation,
          writer, seen.headVersion(), seen.generation());
      if (outcome == ZooKeeperRegistryOutcome.SWITCHED) {
        LOG.info("Registry switch to generation {} at {} succeeded after {}", generation, describe(), e.toString());
        return stat.getVersion();
      }
      Set<String> unnamed = new HashSet<>(created);
      current.ifPresent(h -> h.getShardsList().forEach(name -> unnamed.remove(layout.path(name))));
      deleteQuietly(unnamed);
      if (outcome == ZooKeeperRegistryOutcome.FENCED) {
        throw new FencedException("The registry at " + describe() + " was stored by another master: its head is "
            + current.map(h -> "at generation " + h.getGeneration()).orElse("gone")
            + ", this master expected generation " + seen.generation() + " (" + e + ")");
      }
      throw e;
    }
  }

  private Optional<RegistryHead> readHead(Stat stat) throws Exception {
    try {
      return Optional.of(parseHead(client.getData().storingStatIn(stat).forPath(layout.head())));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes {@code paths} as a courtesy: an interrupt stops the waiting, not the store's outcome (the flag is
   * restored), and whatever stays behind is garbage that a later fetch collects.
   */
  private void deleteQuietly(Collection<String> paths) {
    try {
      fanOut.deleteAll(paths);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes the shard znodes that are garbage under {@code head}; best effort, returns how many went. */
  private int collectGarbage(RegistryHead head) throws Exception {
    List<String> garbage = ZooKeeperRegistryLayout.garbage(children(), head);
    if (garbage.isEmpty()) {
      return 0;
    }
    List<String> paths = new ArrayList<>(garbage.size());
    garbage.forEach(name -> paths.add(layout.path(name)));
    return fanOut.deleteAll(paths);
  }

  private List<String> children() throws Exception {
    try {
      return client.getChildren().forPath(layout.directory());
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }

  private RegistryHead parseHead(byte[] data) throws IOException {
    try {
      RegistryHead head = RegistryHead.parseFrom(data);
      if (head.getShardsCount() != head.getShardCount() || head.getShardCount() < 1) {
        throw new IOException("The registry head " + layout.head() + " names " + head.getShardsCount()
            + " shards but says there are " + head.getShardCount());
      }
      return head;
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("The registry head " + layout.head() + " is not a RegistryHead", e);
    }
  }

  private Registry parseShard(String name, byte[] data) throws IOException {
    try {
      return Registry.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("The registry shard " + layout.path(name) + " is not a Registry", e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The registry store " + describe() + " is closed");
    }
  }

  @Override
  public String describe() {
    return "zk://" + client.getZookeeperClient().getCurrentConnectionString() + layout.directory();
  }

  /** Forgets what was fetched; the client stays open (it is the caller's). */
  @Override
  public void close() {
    closed = true;
    seen = null;
  }
}
