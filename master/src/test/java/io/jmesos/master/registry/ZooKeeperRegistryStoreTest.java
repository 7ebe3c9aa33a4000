package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import io.jmesos.master.registry.RegistryStore.FencedException;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Value;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry in a real, in-JVM ZooKeeper: round trips, 50,000 agents, copy-on-write shards, fencing between two
 * masters, garbage collection, shard growth, ACLs and the znodes left beside the masters' election nodes.
 */
@Timeout(60)
class ZooKeeperRegistryStoreTest {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static TestingServer server;

  /** Each test has its own {@code --zk} path on the shared server. */
  private final String path = "/test-" + TESTS.incrementAndGet() + "/mesos";
  private final String directory = path + "/registry";
  private CuratorFramework client;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new TestingServer(true);
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    server.close();
  }

  @BeforeEach
  void connect() throws Exception {
    client = client("");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void emptyRegistryRoundTrips() throws Exception {
    ZooKeeperRegistryStore store = store();
    assertThat(store.fetch()).isEqualTo(Registry.getDefaultInstance());
    assertThat(client.checkExists().forPath(directory)).isNull();

    store.store(Registry.getDefaultInstance());

    assertThat(store().fetch()).isEqualTo(Registry.getDefaultInstance());
    assertThat(client.getChildren().forPath(directory)).containsExactly("head");
    assertThat(head().getGeneration()).isEqualTo(1);
    assertThat(head().getShardCount()).isEqualTo(ZooKeeperRegistryStore.DEFAULT_SHARDS);
  }

  @Test
  void registryRoundTripsWithAgentsGroupedByShard() throws Exception {
    Registry registry = RegistryStoreAgents.registry(300);
    ZooKeeperRegistryStore store = store();
    store.fetch();
    store.store(registry);

    Registry fetched = store().fetch();

    assertThat(fetched).isEqualTo(canonical(registry, ZooKeeperRegistryStore.DEFAULT_SHARDS));
    assertThat(fetched.getSlaves().getSlavesList())
        .containsExactlyInAnyOrderElementsOf(registry.getSlaves().getSlavesList());
    assertThat(fetched.getUnreachable().getSlavesList())
        .containsExactlyInAnyOrderElementsOf(registry.getUnreachable().getSlavesList());
    assertThat(fetched.getGone().getSlavesList())
        .containsExactlyInAnyOrderElementsOf(registry.getGone().getSlavesList());
    assertThat(ZooKeeperRegistryShards.rest(fetched)).isEqualTo(ZooKeeperRegistryShards.rest(registry));
  }

  @Test
  void presentButEmptyAgentListsStayPresent() throws Exception {
    Registry registry = Registry.newBuilder()
        .setSlaves(Registry.Slaves.getDefaultInstance())
        .setGone(Registry.GoneSlaves.getDefaultInstance())
        .build();
    ZooKeeperRegistryStore store = store();
    store.fetch();
    store.store(registry);

    Registry fetched = store().fetch();

    assertThat(fetched).isEqualTo(registry);
    assertThat(fetched.hasSlaves()).isTrue();
    assertThat(fetched.hasUnreachable()).isFalse();
  }

  @Test
  void fiftyThousandAgentsRoundTripAndAnUpdateRewritesOneShard() throws Exception {
    Registry registry = RegistryStoreAgents.registry(50_000);
    ZooKeeperRegistryStore writer = store();
    writer.fetch();
    writer.store(registry);
    Set<String> before = shardNodes();
    assertThat(before).hasSize(ZooKeeperRegistryStore.DEFAULT_SHARDS);
    for (String node : before) {
      assertThat(client.getData().forPath(directory + "/" + node).length)
          .isLessThan(ZooKeeperRegistryStore.MAX_NODE_BYTES);
    }

    ZooKeeperRegistryStore leader = store();
    Registry fetched = leader.fetch();
    assertThat(fetched).isEqualTo(canonical(registry, ZooKeeperRegistryStore.DEFAULT_SHARDS));

    // One agent gains an attribute: one new shard znode replaces one old one, the head moves one generation.
    Registry.Builder updated = fetched.toBuilder();
    SlaveInfo agent = updated.getSlaves().getSlaves(12_345).getInfo();
    updated.getSlavesBuilder().getSlavesBuilder(12_345).setInfo(agent.toBuilder().addAttributes(
        Attribute.newBuilder().setName("gpu").setType(Value.Type.TEXT)
            .setText(Value.Text.newBuilder().setValue("a100"))));
    leader.store(updated.build());

    Set<String> after = shardNodes();
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    Set<String> removed = new HashSet<>(before);
    removed.removeAll(after);
    int shard = ZooKeeperRegistryShards.shardOf(agent.getId().getValue(), ZooKeeperRegistryStore.DEFAULT_SHARDS);
    assertThat(added).singleElement().asString().startsWith(String.format("shard-%04d-g%010d-", shard, 2));
    assertThat(removed).singleElement().asString().startsWith(String.format("shard-%04d-g%010d-", shard, 1));
    assertThat(head().getGeneration()).isEqualTo(2);
    assertThat(store().fetch()).isEqualTo(updated.build());
  }

  @Test
  void storingWhatWasFetchedWritesOnlyTheHead() throws Exception {
    ZooKeeperRegistryStore store = store();
    store.fetch();
    store.store(RegistryStoreAgents.registry(1_000));
    Set<String> before = shardNodes();

    ZooKeeperRegistryStore leader = store();
    leader.store(leader.fetch());

    assertThat(shardNodes()).isEqualTo(before);
    assertThat(head().getGeneration()).isEqualTo(2);
  }

  @Test
  void aMasterThatFetchedBeforeAnotherStoredIsFenced() throws Exception {
    ZooKeeperRegistryStore first = store();
    ZooKeeperRegistryStore second = store(client(""));
    first.fetch();
    first.store(RegistryStoreAgents.registry(100));
    first.fetch();
    second.fetch();

    Registry written = RegistryStoreAgents.registry(200);
    first.store(written);

    assertThatThrownBy(() -> second.store(RegistryStoreAgents.registry(50)))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("stored by another master")
        .hasMessageContaining("generation 2");
    assertThat(store().fetch()).isEqualTo(canonical(written, ZooKeeperRegistryStore.DEFAULT_SHARDS));
    assertThat(shardNodes()).isEqualTo(named(head()));

    // The fenced master may lead again only after fetching what the other one wrote.
    assertThat(second.fetch()).isEqualTo(canonical(written, ZooKeeperRegistryStore.DEFAULT_SHARDS));
    second.store(RegistryStoreAgents.registry(50));
    assertThatThrownBy(() -> first.store(written)).isInstanceOf(FencedException.class);
  }

  @Test
  void theFirstStoreOfTwoMastersWins() throws Exception {
    ZooKeeperRegistryStore first = store();
    ZooKeeperRegistryStore second = store(client(""));
    first.fetch();
    second.fetch();

    first.store(RegistryStoreAgents.registry(10));

    assertThatThrownBy(() -> second.store(RegistryStoreAgents.registry(20))).isInstanceOf(FencedException.class);
    assertThat(store().fetch()).isEqualTo(canonical(RegistryStoreAgents.registry(10),
        ZooKeeperRegistryStore.DEFAULT_SHARDS));
    assertThat(shardNodes()).isEqualTo(named(head()));
  }

  @Test
  void aFetchDeletesUnnamedShardNodesUpToTheHeadGeneration() throws Exception {
    ZooKeeperRegistryStore store = store();
    store.fetch();
    store.store(RegistryStoreAgents.registry(10));
    store.store(RegistryStoreAgents.registry(20));
    Set<String> named = named(head());
    // Left by failed stores: one of an older generation, one of the head's; one of a store in progress.
    String older = ZooKeeperRegistryLayout.shardName(3, 1, "00000000deadbeef");
    String same = ZooKeeperRegistryLayout.shardName(4, 2, "00000000deadbeef");
    String inProgress = ZooKeeperRegistryLayout.shardName(5, 3, "00000000cafebabe");
    for (String node : List.of(older, same, inProgress, "README")) {
      client.create().forPath(directory + "/" + node, new byte[] {1});
    }

    store().fetch();

    Set<String> expected = new HashSet<>(named);
    expected.add(inProgress);
    assertThat(shardNodes()).isEqualTo(expected);
    assertThat(client.getChildren().forPath(directory)).contains("README", "head");
  }

  @Test
  void aShardOverTheLimitDoublesTheShardCount() throws Exception {
    ZooKeeperRegistryStore store = new ZooKeeperRegistryStore(client, path, 2, 8 * 1024);
    store.fetch();
    Registry registry = RegistryStoreAgents.registry(300);

    store.store(registry);

    int shards = head().getShardCount();
    assertThat(shards).isGreaterThan(2);
    assertThat(Integer.bitCount(shards)).isEqualTo(1);
    for (String node : shardNodes()) {
      assertThat(client.getData().forPath(directory + "/" + node).length).isLessThanOrEqualTo(8 * 1024);
    }
    ZooKeeperRegistryStore leader = new ZooKeeperRegistryStore(client, path, 2, 8 * 1024);
    assertThat(leader.fetch()).isEqualTo(canonical(registry, shards));
  }

  @Test
  void anAgentLargerThanANodeFailsLoudlyAndWritesNothing() throws Exception {
    ZooKeeperRegistryStore store = new ZooKeeperRegistryStore(client, path, 2, 4 * 1024);
    store.fetch();
    store.store(RegistryStoreAgents.registry(3));
    Registry.Builder huge = RegistryStoreAgents.registry(3).toBuilder();
    huge.getSlavesBuilder().getSlavesBuilder(0).getInfoBuilder().addAttributes(Attribute.newBuilder()
        .setName("blob").setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue("x".repeat(5_000))));

    assertThatThrownBy(() -> store.store(huge.build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("over the 4096-byte limit of a ZooKeeper node");
    assertThat(head().getGeneration()).isEqualTo(1);
    assertThat(shardNodes()).isEqualTo(named(head()));
  }

  @Test
  void onlyTheRegistryNodeIsCreatedBesideTheElectionNodes() throws Exception {
    ZooKeeperRegistryStore store = store();
    store.fetch();
    store.store(RegistryStoreAgents.registry(100));

    assertThat(client.getChildren().forPath(path)).containsExactly("registry");
  }

  @Test
  void nodesCarryTheClientsAclAndDescribeHidesCredentials() throws Exception {
    CuratorFramework authenticated = client("jmesos:secret@");
    ZooKeeperRegistryStore store = store(authenticated);
    store.fetch();
    store.store(RegistryStoreAgents.registry(10));

    for (String node : List.of(directory, directory + "/head", directory + "/" + shardNodes().iterator().next())) {
      List<ACL> acl = client.getACL().forPath(node);
      assertThat(acl).hasSize(2);
      assertThat(acl.get(0)).isEqualTo(new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
      assertThat(acl.get(1).getPerms()).isEqualTo(Perms.ALL);
      assertThat(acl.get(1).getId().getScheme()).isEqualTo("digest");
    }
    assertThatThrownBy(() -> client.setData().forPath(directory + "/head", new byte[0]))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThat(store.describe()).isEqualTo("zk://" + server.getConnectString() + directory);
  }

  @Test
  void storeBeforeFetchIsAMistake() {
    assertThatThrownBy(() -> store().store(Registry.getDefaultInstance()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be fetched");
  }

  private static Registry canonical(Registry registry, int shards) {
    List<Registry> parsed = new ArrayList<>();
    for (byte[] bytes : ZooKeeperRegistryShards.split(registry, shards, Integer.MAX_VALUE, shards).shards) {
      try {
        parsed.add(Registry.parseFrom(bytes));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return ZooKeeperRegistryShards.merge(ZooKeeperRegistryShards.rest(registry), parsed);
  }

  private RegistryHead head() throws Exception {
    return RegistryHead.parseFrom(client.getData().forPath(directory + "/head"));
  }

  private static Set<String> named(RegistryHead head) {
    Set<String> named = new HashSet<>(head.getShardsList());
    named.remove("");
    return named;
  }

  private Set<String> shardNodes() throws Exception {
    Set<String> nodes = new HashSet<>();
    for (String child : client.getChildren().forPath(directory)) {
      if (child.startsWith("shard-")) {
        nodes.add(child);
      }
    }
    return nodes;
  }

  private ZooKeeperRegistryStore store() {
    return store(client);
  }

  private ZooKeeperRegistryStore store(CuratorFramework client) {
    ZooKeeperRegistryStore store = new ZooKeeperRegistryStore(client, path);
    closeables.add(store);
    return store;
  }

  private CuratorFramework client(String credentials) throws InterruptedException {
    ZooKeeperUrl url = ZooKeeperUrl.parse("zk://" + credentials + server.getConnectString() + path);
    CuratorFramework client = ZooKeeperClients.newClient(url, Duration.ofSeconds(10));
    client.start();
    closeables.add(client);
    assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
    return client;
  }
}
