package io.jmesos.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.json.MesosJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.Protos.Address;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' {@code ZooKeeperMasterContenderDetectorTest} against a real, in-JVM ZooKeeper: election, succession,
 * a pending candidacy, the JSON layout, digest ACLs, legacy binary members, a suspended connection and an
 * expired session.
 */
@Timeout(120)
class ZkMasterContenderDetectorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PATH = "/mesos";

  private TestingServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    server = new TestingServer(true);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    server.close();
  }

  @Test
  void masterContender() throws Exception {
    ZooKeeperMasterDetector detector = detector(client(""));
    assertThat(detector.detect(Optional.empty())).isNotDone();

    Events events = new Events();
    MasterInfo master = masterInfo(5050);
    contender(client(""), master, events).start();

    assertThat(events.next()).isEqualTo("elected");
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(master);
    assertThat(detector.leader()).contains(master);
  }

  @Test
  void masterContenders() throws Exception {
    ZooKeeperMasterDetector detector = detector(client(""));
    MasterInfo first = masterInfo(5050);
    MasterInfo second = masterInfo(5051);
    Events firstEvents = new Events();
    Events secondEvents = new Events();

    ZooKeeperMasterContender firstContender = contender(client(""), first, firstEvents);
    firstContender.start();
    assertThat(firstEvents.next()).isEqualTo("elected");
    ZooKeeperMasterContender secondContender = contender(client(""), second, secondEvents);
    secondContender.start();
    await().atMost(WAIT).until(() -> secondContender.znode().isPresent());
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(first);

    firstContender.close();

    assertThat(secondEvents.next()).isEqualTo("elected");
    assertThat(detector.detect(Optional.of(first)).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(second);
    assertThat(firstEvents.events).isEmpty(); // withdrawing is not losing
  }

  @Test
  void contenderPendingElection() throws Exception {
    Events leaderEvents = new Events();
    ZooKeeperMasterContender leader = contender(client(""), masterInfo(5050), leaderEvents);
    leader.start();
    assertThat(leaderEvents.next()).isEqualTo("elected");

    // A second contend while the first is pending does not join twice (Mesos: contend returns directly).
    Events events = new Events();
    ZooKeeperMasterContender pending = contender(client(""), masterInfo(5051), events);
    pending.start();
    pending.start();
    CuratorFramework observer = client("");
    await().atMost(WAIT).until(() -> pending.znode().isPresent());
    assertThat(observer.getChildren().forPath(PATH)).hasSize(2);
    assertThat(pending.state()).isEqualTo(ZooKeeperMasterContender.State.CONTENDING);

    leader.close();
    assertThat(events.next()).isEqualTo("elected");
    assertThat(observer.getChildren().forPath(PATH)).hasSize(1);
  }

  @Test
  void masterDetectorUsesJson() throws Exception {
    MasterInfo master = masterInfo(5050);
    Events events = new Events();
    ZooKeeperMasterContender contender = contender(client(""), master, events);
    contender.start();
    assertThat(events.next()).isEqualTo("elected");

    CuratorFramework observer = client("");
    List<String> children = observer.getChildren().forPath(PATH);
    assertThat(children).singleElement().asString().matches("json\\.info_\\d{10}");
    assertThat(contender.znode()).contains(PATH + "/" + children.get(0));
    byte[] data = observer.getData().forPath(PATH + "/" + children.get(0));
    assertThat(MesosJson.parse(data, MasterInfo.newBuilder()).build()).isEqualTo(master);
    assertThat(MesosJson.toTree(master).fieldNames()).toIterable()
        .contains("id", "ip", "port", "pid", "hostname", "version", "address");
    assertThat(observer.getACL().forPath(PATH + "/" + children.get(0))).isEqualTo(Ids.OPEN_ACL_UNSAFE);
  }

  @Test
  void digestCredentialsLetEveryoneReadAndOnlyTheCreatorWrite() throws Exception {
    MasterInfo master = masterInfo(5050);
    Events events = new Events();
    ZooKeeperMasterContender contender = contender(client("jo:secret@"), master, events);
    contender.start();
    assertThat(events.next()).isEqualTo("elected");
    String node = contender.znode().orElseThrow();

    CuratorFramework anonymous = client("");
    List<ACL> acl = anonymous.getACL().forPath(node);
    assertThat(acl).hasSize(2);
    assertThat(acl.get(0)).isEqualTo(new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
    assertThat(acl.get(1).getPerms()).isEqualTo(Perms.ALL);
    assertThat(acl.get(1).getId().getScheme()).isEqualTo("digest");
    assertThat(acl.get(1).getId().getId()).startsWith("jo:");
    assertThatThrownBy(() -> anonymous.delete().forPath(node)).isInstanceOf(KeeperException.NoAuthException.class);

    ZooKeeperMasterDetector detector = detector(anonymous);
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(master);
  }

  @Test
  void legacyBinaryMemberLeadsByItsSequenceNumber() throws Exception {
    MasterInfo legacy = masterInfo(5050);
    MasterInfo ours = masterInfo(5051);
    CuratorFramework legacyClient = client("");
    legacyClient.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(PATH + "/info_", legacy.toByteArray());
    ZooKeeperMasterDetector detector = detector(client(""));
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(legacy);

    Events events = new Events();
    ZooKeeperMasterContender contender = contender(client(""), ours, events);
    contender.start();
    await().atMost(WAIT).until(() -> contender.znode().isPresent());
    assertThat(contender.state()).isEqualTo(ZooKeeperMasterContender.State.CONTENDING);

    legacyClient.close(); // its session ends, and with it the ephemeral member
    assertThat(events.next()).isEqualTo("elected");
    assertThat(detector.detect(Optional.of(legacy)).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(ours);
  }

  @Test
  void noLeaderWhenTheGroupEmpties() throws Exception {
    ZooKeeperMasterDetector detector = detector(client(""));
    MasterInfo master = masterInfo(5050);
    Events events = new Events();
    ZooKeeperMasterContender contender = contender(client(""), master, events);
    contender.start();
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(master);

    contender.close();

    assertThat(detector.detect(Optional.of(master)).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void suspendedConnectionStopsTheLeaderUntilItReconnects() throws Exception {
    Events events = new Events();
    contender(client(""), masterInfo(5050), events).start();
    assertThat(events.next()).isEqualTo("elected");

    server.stop();
    assertThat(events.next()).isEqualTo("suspended");

    server.restart(); // within the session timeout: the session and its znode survive
    assertThat(events.next()).isEqualTo("elected");
  }

  @Test
  void expiredLeaderSessionElectsTheNextContender() throws Exception {
    ZooKeeperMasterDetector detector = detector(client(""));
    MasterInfo first = masterInfo(5050);
    MasterInfo second = masterInfo(5051);
    Events firstEvents = new Events();
    Events secondEvents = new Events();
    CuratorFramework firstClient = client("");
    ZooKeeperMasterContender firstContender = contender(firstClient, first, firstEvents);
    firstContender.start();
    assertThat(firstEvents.next()).isEqualTo("elected");
    ZooKeeperMasterContender secondContender = contender(client(""), second, secondEvents);
    secondContender.start();
    await().atMost(WAIT).until(() -> secondContender.znode().isPresent());

    expireSession(firstClient);

    assertThat(secondEvents.next()).isEqualTo("elected");
    // The first may hear SUSPENDED before LOST, depending on how the expiry reaches it.
    String event = firstEvents.next();
    if (event.equals("suspended")) {
      event = firstEvents.next();
    }
    assertThat(event).isEqualTo("lost");
    assertThat(firstContender.state()).isEqualTo(ZooKeeperMasterContender.State.LOST);
    assertThat(detector.detect(Optional.of(first)).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(second);
  }

  /**
   * Mesos' MasterDetectorExpireSlaveZKSession: the session of an agent's detector expires; the leader has not
   * changed, so after reconnecting with a new session the detector still reports the same leader and a detect
   * waiting for a change stays pending.
   */
  @Test
  void masterDetectorExpireSlaveZkSession() throws Exception {
    MasterInfo master = masterInfo(5050);
    Events events = new Events();
    contender(client(""), master, events).start();
    assertThat(events.next()).isEqualTo("elected");
    CuratorFramework agentClient = client("");
    ZooKeeperMasterDetector detector = detector(agentClient);
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(master);

    long before = agentClient.getZookeeperClient().getZooKeeper().getSessionId();
    expireSession(agentClient);
    await().atMost(WAIT).until(() -> agentClient.getZookeeperClient().isConnected()
        && agentClient.getZookeeperClient().getZooKeeper().getSessionId() != before);

    java.util.concurrent.CompletableFuture<Optional<MasterInfo>> change = detector.detect(Optional.of(master));
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(master);
    assertThat(change).isNotDone();
    assertThat(events.events).isEmpty(); // the leader never noticed
  }

  /**
   * Mesos' MasterDetectorExpireSlaveZKSessionNewMaster: the leader changes while the agent's detector has lost
   * its session; once it reconnects with a new session it reports the new leader.
   */
  @Test
  void masterDetectorExpireSlaveZkSessionNewMaster() throws Exception {
    MasterInfo first = masterInfo(5050);
    MasterInfo second = masterInfo(5051);
    Events firstEvents = new Events();
    Events secondEvents = new Events();
    ZooKeeperMasterContender firstContender = contender(client(""), first, firstEvents);
    firstContender.start();
    assertThat(firstEvents.next()).isEqualTo("elected");
    CuratorFramework agentClient = client("");
    ZooKeeperMasterDetector detector = detector(agentClient);
    assertThat(detector.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(first);

    java.util.concurrent.CompletableFuture<Optional<MasterInfo>> change = detector.detect(Optional.of(first));
    expireSession(agentClient);
    firstContender.close();
    contender(client(""), second, secondEvents).start();
    assertThat(secondEvents.next()).isEqualTo("elected");

    assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(second);
    assertThat(detector.leader()).contains(second);
  }

  @Test
  void duplicateZnodeOfOurOwnSessionIsRemoved() throws Exception {
    // What a create retried after a connection loss can leave behind: a lower member of our own session.
    CuratorFramework client = client("");
    String stray = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(PATH + "/json.info_", MasterInfos.encode(masterInfo(5050)));
    Events events = new Events();
    ZooKeeperMasterContender contender = contender(client, masterInfo(5050), events);
    contender.start();

    assertThat(events.next()).isEqualTo("elected");
    assertThat(client.checkExists().forPath(stray)).isNull();
    assertThat(client.getChildren().forPath(PATH)).containsExactly(Znodes.basename(contender.znode().orElseThrow()));
  }

  /** Ends {@code client}'s session on the server, as a session timeout would: its ephemeral znodes go. */
  private void expireSession(CuratorFramework client) throws Exception {
    ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(server.getConnectString(), 10_000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, zk.getSessionId(), zk.getSessionPasswd());
    try {
      assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      twin.close();
    }
  }

  private CuratorFramework client(String credentials) throws InterruptedException {
    ZooKeeperUrl url = ZooKeeperUrl.parse("zk://" + credentials + server.getConnectString() + PATH);
    CuratorFramework client = ZooKeeperClients.newClient(url, Duration.ofSeconds(10));
    client.start();
    closeables.add(client);
    assertThat(client.blockUntilConnected(Math.toIntExact(WAIT.toSeconds()), TimeUnit.SECONDS)).isTrue();
    return client;
  }

  private ZooKeeperMasterContender contender(CuratorFramework client, MasterInfo info, Events events) {
    ZooKeeperMasterContender contender = new ZooKeeperMasterContender(client, PATH, info, events);
    closeables.add(contender);
    return contender;
  }

  private ZooKeeperMasterDetector detector(CuratorFramework client) {
    ZooKeeperMasterDetector detector = new ZooKeeperMasterDetector(client, PATH);
    closeables.add(detector);
    detector.start();
    return detector;
  }

  private static MasterInfo masterInfo(int port) {
    return MasterInfo.newBuilder()
        .setId("master-" + port)
        .setIp(0x0100007f)
        .setPort(port)
        .setPid("master@127.0.0.1:" + port)
        .setHostname("localhost")
        .setVersion("1.11.0")
        .setAddress(Address.newBuilder().setIp("127.0.0.1").setPort(port).setHostname("localhost"))
        .build();
  }

  /** The contender's reports, in order. */
  private static final class Events implements ZooKeeperMasterContender.Listener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void elected() {
      events.add("elected");
    }

    @Override
    public void suspended() {
      events.add("suspended");
    }

    @Override
    public void lost(String reason) {
      events.add("lost");
    }

    String next() throws InterruptedException {
      String event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(event).as("next contender event").isNotNull();
      return event;
    }
  }
}
