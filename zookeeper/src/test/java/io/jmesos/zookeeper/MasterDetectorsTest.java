package io.jmesos.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.detector.StandaloneMasterDetector;
import io.jmesos.detector.ZooKeeperUrl;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.Protos.Address;
import org.apache.mesos.Protos.MasterInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link MasterDetectors#create} for each {@code --master} form, against a real in-JVM ZooKeeper. */
@Timeout(60)
class MasterDetectorsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void plainAddressesGiveAStandaloneDetector() throws Exception {
    try (MasterDetector detector = MasterDetectors.create("master@127.0.0.1:5050", Duration.ofSeconds(10))) {
      assertThat(detector).isInstanceOf(StandaloneMasterDetector.class);
      assertThat(detector.detect(Optional.empty()).get().map(MasterEndpoints::address))
          .contains(new InetSocketAddress("127.0.0.1", 5050));
    }
    assertThatThrownBy(() -> MasterDetectors.create("zk://127.0.0.1:2181/", Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expecting a (chroot) path for ZooKeeper ('/' is not supported)");
  }

  @Test
  void zooKeeperUrlsDirectlyOrInAFileFollowTheLeader(@TempDir Path dir) throws Exception {
    try (TestingServer server = new TestingServer(true)) {
      String url = "zk://" + server.getConnectString() + "/mesos";
      Path file = Files.write(dir.resolve("master"), (url + "\n").getBytes(StandardCharsets.UTF_8));
      try (MasterDetector direct = MasterDetectors.create(url, Duration.ofSeconds(10));
          MasterDetector viaFile = MasterDetectors.create("file://" + file, Duration.ofSeconds(10));
          CuratorFramework client = client(server.getConnectString())) {
        CompletableFuture<Optional<MasterInfo>> first = direct.detect(Optional.empty());
        assertThat(first).isNotDone();

        MasterInfo a = masterInfo(5050);
        MasterInfo b = masterInfo(5051);
        ZooKeeperMasterContender contenderA = new ZooKeeperMasterContender(client, "/mesos", a, quiet());
        try {
          contenderA.start();
          assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(a);
          assertThat(viaFile.detect(Optional.empty()).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(a);
          CompletableFuture<Optional<MasterInfo>> change = direct.detect(Optional.of(a));
          try (CuratorFramework other = client(server.getConnectString());
              ZooKeeperMasterContender contenderB = new ZooKeeperMasterContender(other, "/mesos", b, quiet())) {
            contenderB.start();
            // B's znode first: closed before it exists, A would leave no leader at all for a moment, which the
            // detector reports (an empty answer) as Mesos' does.
            await().atMost(WAIT).until(() -> contenderB.znode().isPresent());
            contenderA.close();
            assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(b);
          }
        } finally {
          contenderA.close();
        }
      }
    }
  }

  /**
   * Regression: a detector whose first listing failed because ZooKeeper was not reachable yet used to wait for a
   * RECONNECTED that never comes (Curator reports the first connection as CONNECTED), and so never detected any
   * leader. It lists again on CONNECTED now.
   */
  @Test
  void aDetectorStartedBeforeZooKeeperIsReachableDetectsOnceItIs() throws Exception {
    InstanceSpec spec = InstanceSpec.newInstanceSpec();
    try (TestingServer server = new TestingServer(spec, false)) {
      // No retries and a short connection timeout: the detector's first listing fails at once.
      try (CuratorFramework early = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
          .sessionTimeoutMs(10_000).connectionTimeoutMs(300).retryPolicy(new RetryNTimes(0, 0)).build();
          ZooKeeperMasterDetector detector = new ZooKeeperMasterDetector(early, "/mesos")) {
        early.start();
        detector.start();
        // Answered at once on the detector's thread, after start() there has sent the first listing.
        assertThat(detector.detect(Optional.of(masterInfo(1))).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        CompletableFuture<Optional<MasterInfo>> leader = detector.detect(Optional.empty());
        // A probe sent after that listing fails after it: then the detector has seen its listing fail.
        CompletableFuture<Integer> probe = new CompletableFuture<>();
        early.checkExists().inBackground((c, event) -> probe.complete(event.getResultCode())).forPath("/mesos");
        assertThat(probe.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotZero();
        server.start();
        MasterInfo a = masterInfo(5052);
        try (CuratorFramework client = client(server.getConnectString());
            ZooKeeperMasterContender contender = new ZooKeeperMasterContender(client, "/mesos", a, quiet())) {
          contender.start();
          assertThat(leader.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(a);
        }
      }
    }
  }

  private static CuratorFramework client(String servers) throws InterruptedException {
    CuratorFramework client = ZooKeeperClients.newClient(ZooKeeperUrl.parse("zk://" + servers + "/mesos"),
        Duration.ofSeconds(10));
    client.start();
    assertThat(client.blockUntilConnected(Math.toIntExact(WAIT.toSeconds()), TimeUnit.SECONDS)).isTrue();
    return client;
  }

  private static ZooKeeperMasterContender.Listener quiet() {
    return new ZooKeeperMasterContender.Listener() {
      @Override
      public void elected() {}

      @Override
      public void suspended() {}

      @Override
      public void lost(String reason) {}
    };
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
}
