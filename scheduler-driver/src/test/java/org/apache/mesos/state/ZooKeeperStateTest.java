package org.apache.mesos.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.state.StateProtos.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ZooKeeperState} against a real, in-JVM ZooKeeper: the contract, Mesos' znode layout and bytes both ways,
 * the 1 MB limit, names, digest authentication and ACLs, and states racing on one znode.
 */
class ZooKeeperStateTest extends StateContractTest {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static TestingServer server;
  private static CuratorFramework client;

  private final String root = "/test-" + TESTS.incrementAndGet();
  private final String znode = root + "/state";
  private final List<ZooKeeperState> states = new ArrayList<>();

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new TestingServer(true);
    client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
    client.start();
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    client.close();
    server.close();
  }

  @AfterEach
  void closeStates() {
    states.forEach(ZooKeeperState::close);
  }

  @Override
  State newState() {
    return open(znode);
  }

  private ZooKeeperState open(String path) {
    return track(new ZooKeeperState(server.getConnectString(), 10, TimeUnit.SECONDS, path));
  }

  private ZooKeeperState track(ZooKeeperState state) {
    states.add(state);
    return state;
  }

  @Test
  void eachVariableIsAZnodeHoldingMesosEntryBytes() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("localhost"))));

    byte[] data = client.getData().forPath(znode + "/slaves");
    byte[] uuid = Entry.parseFrom(data).getUuid().toByteArray();
    assertThat(uuid).hasSize(16).isEqualTo(stored.entry().getUuid().toByteArray());
    assertThat(data).isEqualTo(MesosEntryBytes.encode("slaves", uuid, bytes("localhost")));
    assertThat(client.getChildren().forPath(znode)).containsExactly("slaves");
    assertThat(client.getData().forPath(root)).isEmpty();
    assertThat(client.getACL().forPath(znode + "/slaves")).isEqualTo(Ids.OPEN_ACL_UNSAFE);
  }

  @Test
  void readsAndReplacesAnEntryWrittenByMesos() throws Exception {
    byte[] uuid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    client.create().creatingParentsIfNeeded()
        .forPath(znode + "/framework", MesosEntryBytes.encode("framework", uuid, bytes("from mesos")));
    State state = newState();

    Variable fetched = get(state.fetch("framework"));
    assertThat(text(fetched)).isEqualTo("from mesos");
    assertThat(get(state.store(fetched.mutate(bytes("from jmesos"))))).isNotNull();

    Entry written = Entry.parseFrom(client.getData().forPath(znode + "/framework"));
    assertThat(written.getName()).isEqualTo("framework");
    assertThat(written.getValue().toStringUtf8()).isEqualTo("from jmesos");
    assertThat(written.getUuid().toByteArray()).hasSize(16).isNotEqualTo(uuid);
    assertThat(get(state.store(fetched.mutate(bytes("stale"))))).isNull();
  }

  @Test
  void aZnodeThatIsNotAnEntryFailsTheFetch() throws Exception {
    client.create().creatingParentsIfNeeded().forPath(znode + "/junk", bytes("not an entry"));

    assertThatThrownBy(() -> get(newState().fetch("junk")))
        .isInstanceOf(ExecutionException.class)
        .hasMessage("Failed to deserialize Entry");
  }

  @Test
  void aTrailingSlashOnTheZnodeIsIgnored() throws Exception {
    State slash = open(znode + "/");
    get(slash.store(get(slash.fetch("x")).mutate(bytes("1"))));

    assertThat(text(get(open(znode).fetch("x")))).isEqualTo("1");
    assertThat(client.getChildren().forPath(znode)).containsExactly("x");
  }

  @Test
  void namesFailsUntilTheZnodeExistsAsInMesos() throws Exception {
    State state = newState();

    assertThatThrownBy(() -> get(state.names()))
        .isInstanceOf(ExecutionException.class)
        .hasMessage("Failed to get children of '" + znode + "' in ZooKeeper: no node");
    get(state.store(get(state.fetch("a")).mutate(bytes("1"))));
    assertThat(list(get(state.names()))).containsExactly("a");
  }

  @Test
  void anEntryOverOneMegabyteIsRefused() throws Exception {
    State state = newState();
    Variable fetched = get(state.fetch("big"));

    assertThatThrownBy(() -> get(state.store(fetched.mutate(new byte[1024 * 1024]))))
        .isInstanceOf(ExecutionException.class)
        .hasMessage("Serialized data is too big (> 1 MB)");
    byte[] large = new byte[512 * 1024];
    Arrays.fill(large, (byte) 7);
    assertThat(get(state.store(fetched.mutate(large))).value()).isEqualTo(large);
    assertThat(get(newState().fetch("big")).value()).isEqualTo(large);
  }

  @Test
  void anExpungedVariableCanBeStoredAgainAsInMesos() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));
    assertThat(get(state.expunge(stored))).isTrue();
    assertThat(client.checkExists().forPath(znode + "/slaves")).isNull();

    assertThat(get(state.store(stored.mutate(bytes("two"))))).isNotNull();

    assertThat(text(get(state.fetch("slaves")))).isEqualTo("two");
  }

  @Test
  void statesOnOneZnodeRaceWithOneWinnerPerRound() throws Exception {
    List<State> racers = List.of(newState(), newState(), newState(), newState());
    for (int round = 0; round < 5; round++) {
      List<Variable> fetched = new ArrayList<>();
      for (State racer : racers) {
        fetched.add(get(racer.fetch("leader")));
      }
      List<Future<Variable>> stores = new ArrayList<>();
      for (int i = 0; i < racers.size(); i++) {
        stores.add(racers.get(i).store(fetched.get(i).mutate(bytes(round + "/" + i))));
      }
      List<String> winners = new ArrayList<>();
      for (Future<Variable> store : stores) {
        Variable stored = get(store);
        if (stored != null) {
          winners.add(text(stored));
        }
      }
      assertThat(winners).hasSize(1);
      for (State racer : racers) {
        assertThat(text(get(racer.fetch("leader")))).isEqualTo(winners.get(0));
      }
    }
  }

  @Test
  void digestCredentialsProtectTheZnodesAsInMesos() throws Exception {
    byte[] credentials = "user:secret".getBytes(StandardCharsets.UTF_8);
    State owner = track(new ZooKeeperState(server.getConnectString(), 10, TimeUnit.SECONDS, znode, "digest",
        credentials));
    get(owner.store(get(owner.fetch("secret")).mutate(bytes("mine"))));

    List<ACL> expected = List.of(new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE),
        new ACL(Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("user:secret"))));
    // ZooKeeper shows a digest's hash only to a client with ADMIN permission: the owner.
    try (CuratorFramework admin = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
        .retryPolicy(new RetryOneTime(100)).authorization("digest", credentials).build()) {
      admin.start();
      assertThat(admin.getACL().forPath(znode + "/secret")).isEqualTo(expected);
      assertThat(admin.getACL().forPath(root)).isEqualTo(expected);
    }

    State anonymous = newState();
    Variable read = get(anonymous.fetch("secret"));
    assertThat(text(read)).isEqualTo("mine");
    assertThatThrownBy(() -> get(anonymous.store(read.mutate(bytes("theirs")))))
        .isInstanceOf(ExecutionException.class)
        .hasMessage("Failed to set '" + znode + "/secret' in ZooKeeper: not authenticated");
    State other = track(new ZooKeeperState(server.getConnectString(), 10, TimeUnit.SECONDS, znode, "digest",
        "other:secret".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> get(other.expunge(get(other.fetch("secret")))))
        .isInstanceOf(ExecutionException.class)
        .hasMessage("Failed to remove '" + znode + "/secret' in ZooKeeper: not authenticated");
    assertThat(text(get(owner.fetch("secret")))).isEqualTo("mine");
  }
}
