package io.jmesos.master.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.resources.Resources;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Masters contending through a real, in-JVM ZooKeeper (Mesos' {@code MasterZooKeeperTest} and {@code
 * ZooKeeperMasterContenderDetectorTest} at the master's level): who leads, what a follower answers, succession,
 * an expired session, no leader at all, and a suspended connection.
 */
@Timeout(60)
class MasterElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestingServer zooKeeper;
  private static int paths;

  private final HttpClient http = new HttpClient("election-test");
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<Master, List<Throwable>> fatal = new HashMap<>();
  private final Map<Master, CuratorFramework> clients = new HashMap<>();
  private final String path = "/mesos" + paths++;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    zooKeeper = new TestingServer(true);
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    zooKeeper.close();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    http.close();
  }

  @Test
  void theFirstMasterLeadsAndTheSecondFollowsUntilTheLeaderCloses() throws Exception {
    Master first = master(zk(zooKeeper));
    awaitElected(first);
    assertThat(metric(first, "master/elected")).isEqualTo(1.0);
    CuratorFramework observer = observer();
    List<String> members = observer.getChildren().forPath(path);
    assertThat(members).singleElement().asString().matches("json\\.info_\\d{10}");
    byte[] data = observer.getData().forPath(path + "/" + members.get(0));
    assertThat(MesosJson.parse(data, MasterInfo.newBuilder()).build()).isEqualTo(first.info());

    Master second = master(zk(zooKeeper));
    await().atMost(WAIT).until(() -> get(second, "/redirect").status() == 307);

    // The follower: not elected, redirects leader-only requests, serves its own health, version and metrics.
    assertThat(metric(second, "master/elected")).isEqualTo(0.0);
    assertThat(get(second, "/redirect").header("Location")).isEqualTo(base(first));
    assertThat(get(second, "/master/redirect").header("Location")).isEqualTo(base(first));
    HttpResponse subscribe = subscribe(second);
    assertThat(subscribe.status()).isEqualTo(307);
    assertThat(subscribe.header("Location")).isEqualTo(base(first) + "/api/v1/scheduler");
    HttpResponse state = get(second, "/state?jsonp=x");
    assertThat(state.status()).isEqualTo(307);
    assertThat(state.header("Location")).isEqualTo(base(first) + "/state?jsonp=x");
    assertThat(get(second, "/roles").status()).isEqualTo(307);
    assertThat(get(second, "/weights").status()).isEqualTo(307);
    assertThat(get(second, "/quota").status()).isEqualTo(307);
    assertThat(get(second, "/health").status()).isEqualTo(200);
    assertThat(get(second, "/version").status()).isEqualTo(200);
    assertThat(get(second, "/master/info").status()).isEqualTo(200);

    // The leader points at itself and names itself in /state.
    assertThat(get(first, "/redirect").header("Location")).isEqualTo(base(first));
    JsonNode leaderState = JSON.readTree(get(first, "/state").body());
    assertThat(leaderState.get("leader").asText()).isEqualTo(first.info().getPid());
    assertThat(leaderState.get("leader_info").get("id").asText()).isEqualTo(first.id());
    assertThat(leaderState.has("elected_time")).isTrue();

    first.close();

    awaitElected(second);
    try (TestScheduler scheduler = new TestScheduler(second.address(), true)) {
      Event subscribed = scheduler.subscribe(TestScheduler.frameworkInfo().build());
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(subscribed.getSubscribed().getMasterInfo().getId()).isEqualTo(second.id());
    }
    assertThat(get(second, "/redirect").header("Location")).isEqualTo(base(second));
    JsonNode state2 = JSON.readTree(get(second, "/state").body());
    assertThat(state2.get("leader").asText()).isEqualTo(second.info().getPid());
    assertThat(state2.get("elected_time").asDouble()).isPositive();
    assertThat(fatal.get(second)).isEmpty();
  }

  @Test
  void aFollowerDropsAgentMessagesAndAdmitsNoAgent() throws Exception {
    Master leader = master(zk(zooKeeper));
    awaitElected(leader);
    Master follower = master(zk(zooKeeper));
    await().atMost(WAIT).until(() -> get(follower, "/redirect").status() == 307);

    FakeAgent agent = new FakeAgent();
    closeables.add(agent);
    agent.connect(follower.address());
    agent.send(RegisterSlaveMessage.newBuilder()
        .setSlave(SlaveInfo.newBuilder().setHostname("fake-host").setPort(5051)
            .addAllResources(Resources.parse("cpus:1;mem:128", "*").toList()))
        .setVersion(Master.VERSION)
        .setPid("127.0.0.1:5051")
        .build());

    await().atMost(WAIT).until(() -> metric(follower, "master/dropped_messages") == 1.0);
    follower.settle();
    assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
    assertThat(metric(follower, "master/slave_registrations")).isZero();
    assertThat(metric(follower, "master/slaves_active")).isZero();
    assertThat(metric(leader, "master/slave_registrations")).isZero();
  }

  @Test
  void anExpiredLeaderSessionIsFatalAndTheFollowerTakesOver() throws Exception {
    Master leader = master(zk(zooKeeper));
    awaitElected(leader);
    Master follower = master(zk(zooKeeper));
    await().atMost(WAIT).until(() -> get(follower, "/redirect").status() == 307);

    expireSession(clients.get(leader));

    await().atMost(WAIT).until(() -> !fatal.get(leader).isEmpty());
    assertThat(fatal.get(leader).get(0)).hasMessageStartingWith("Lost candidacy as a leader");
    assertThat(metric(leader, "master/elected")).isZero();
    assertThat(subscribe(leader).status()).isIn(307, 503); // it acts on nothing any more
    awaitElected(follower);
    assertThat(fatal.get(follower)).isEmpty();
  }

  @Test
  void aFollowerWhoseSessionExpiresContendsAgain() throws Exception {
    Master leader = master(zk(zooKeeper));
    awaitElected(leader);
    Master follower = master(zk(zooKeeper));
    CuratorFramework observer = observer();
    await().atMost(WAIT).until(() -> observer.getChildren().forPath(path).size() == 2);
    String before = observer.getChildren().forPath(path).stream().sorted().reduce((a, b) -> b).orElseThrow();

    expireSession(clients.get(follower));

    // The old znode went with the session; a new one, with a higher sequence number, replaces it.
    await().atMost(WAIT).until(() -> {
      List<String> members = observer.getChildren().forPath(path);
      return members.size() == 2 && !members.contains(before);
    });
    assertThat(fatal.get(follower)).isEmpty();
    leader.close();
    awaitElected(follower);
    assertThat(fatal.get(follower)).isEmpty();
  }

  @Test
  void withoutAKnownLeaderAMasterAnswers503() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    Master master = master("zk://127.0.0.1:" + deadPort + path);

    HttpResponse redirect = get(master, "/redirect");
    assertThat(redirect.status()).isEqualTo(503);
    assertThat(redirect.bodyText()).isEqualTo("No leader elected");
    assertThat(subscribe(master).status()).isEqualTo(503);
    assertThat(get(master, "/state").status()).isEqualTo(503);
    assertThat(get(master, "/health").status()).isEqualTo(200);
    assertThat(metric(master, "master/elected")).isZero();
  }

  @Test
  void aSuspendedLeaderStopsActingUntilItsConnectionComesBack() throws Exception {
    try (TestingServer own = new TestingServer(true)) {
      Master master = master(zk(own));
      awaitElected(master);

      own.stop();
      await().atMost(WAIT).until(() -> metric(master, "master/elected") == 0.0);
      assertThat(subscribe(master).status()).isEqualTo(503); // it cannot vouch for itself, nor name another
      assertThat(get(master, "/redirect").status()).isEqualTo(503);

      own.restart(); // within the session timeout: the session and its znode survive
      awaitElected(master);
      assertThat(get(master, "/redirect").header("Location")).isEqualTo(base(master));
      assertThat(fatal.get(master)).isEmpty();
      master.close(); // before its server goes
    }
  }

  private String zk(TestingServer server) {
    return "zk://" + server.getConnectString() + path;
  }

  private Master master(String zk) throws Exception {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<CuratorFramework> client = new CopyOnWriteArrayList<>();
    Master master = Master.builder()
        .flags(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory", "zk", zk)))
        .onFatal(failures::add)
        .zooKeeperClients((url, timeout) -> {
          CuratorFramework c = ZooKeeperClients.newClient(url, timeout);
          client.add(c);
          return c;
        })
        .build();
    closeables.add(master);
    master.start();
    fatal.put(master, failures);
    clients.put(master, client.get(0));
    return master;
  }

  private CuratorFramework observer() throws InterruptedException {
    CuratorFramework observer = CuratorFrameworkFactory.newClient(zooKeeper.getConnectString(), new RetryOneTime(100));
    observer.start();
    closeables.add(observer);
    assertThat(observer.blockUntilConnected(Math.toIntExact(WAIT.toSeconds()), TimeUnit.SECONDS)).isTrue();
    return observer;
  }

  /** Ends {@code client}'s session on the server, as a session timeout would: its ephemeral znodes go. */
  private static void expireSession(CuratorFramework client) throws Exception {
    ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(zooKeeper.getConnectString(), 10_000, event -> {
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

  private void awaitElected(Master master) {
    await().atMost(WAIT).until(() -> metric(master, "master/elected") == 1.0);
  }

  private static String base(Master master) {
    return "//" + master.info().getHostname() + ":" + master.info().getPort();
  }

  private HttpResponse get(Master master, String target) throws Exception {
    return http.get(master.address(), target).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse subscribe(Master master) throws Exception {
    Call call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(TestScheduler.frameworkInfo())).build();
    return http.post(master.address(), TestScheduler.PATH, MediaTypes.JSON, MesosJson.printBytes(call), Map.of())
        .get(10, TimeUnit.SECONDS);
  }

  private double metric(Master master, String name) throws Exception {
    JsonNode metrics = JSON.readTree(get(master, "/metrics/snapshot").body());
    return metrics.get(name).asDouble();
  }
}
