package io.jmesos.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.SystemClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.Protos.MasterInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' detect(previous) contract on the standalone detector, and a LeaderWatch following it on an actor. */
@Timeout(10)
class StandaloneMasterDetectorTest {
  private static final MasterInfo A = MasterEndpoints.standaloneInfo(new InetSocketAddress("127.0.0.1", 5050));
  private static final MasterInfo B = MasterEndpoints.standaloneInfo(new InetSocketAddress("127.0.0.1", 5051));

  @Test
  void detectAnswersOnceTheLeaderDiffersFromWhatTheCallerKnows() {
    StandaloneMasterDetector detector = new StandaloneMasterDetector();
    assertThat(detector.detect(Optional.empty())).isNotDone();
    CompletableFuture<Optional<MasterInfo>> change = detector.detect(Optional.empty());

    detector.appoint(Optional.of(A));
    assertThat(change).isCompletedWithValue(Optional.of(A));
    assertThat(detector.detect(Optional.empty())).isCompletedWithValue(Optional.of(A));
    CompletableFuture<Optional<MasterInfo>> next = detector.detect(Optional.of(A));
    assertThat(next).isNotDone();
    detector.appoint(Optional.of(A));
    assertThat(next).isNotDone();

    detector.close();
    assertThat(next).isCancelled();
    assertThat(detector.detect(Optional.of(A))).isCancelled();
  }

  @Test
  void standaloneKnowsItsMasterForGood() {
    MasterDetector detector = MasterDetector.standalone(new InetSocketAddress("127.0.0.1", 5050));
    Optional<MasterInfo> leader = detector.detect(Optional.empty()).join();
    assertThat(leader).contains(A);
    assertThat(A.getPid()).isEqualTo("master@127.0.0.1:5050");
    assertThat(MasterEndpoints.address(A)).isEqualTo(new InetSocketAddress("127.0.0.1", 5050));
    assertThat(detector.detect(leader)).isNotDone();
  }

  @Test
  void endpointsComeFromAddressThenPidThenPackedIp() {
    assertThat(MasterEndpoints.address(MasterInfo.newBuilder().setId("m").setIp(0).setPort(1)
        .setPid("master@10.0.0.7:5052").build())).isEqualTo(new InetSocketAddress("10.0.0.7", 5052));
    assertThat(MasterEndpoints.address(MasterInfo.newBuilder().setId("m").setIp(0x0100007f).setPort(5053).build()))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5053));
    assertThat(A.getIp()).isEqualTo(0x0100007f);
  }

  @Test
  void leaderWatchReportsEachChangeOnTheOwnerInOrderUntilClosed() {
    StandaloneMasterDetector detector = new StandaloneMasterDetector();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Actor actor = new Actor("watch-owner", SystemClock.get())) {
      LeaderWatch watch = new LeaderWatch(detector, actor,
          leader -> seen.add((actor.inActorThread() ? "" : "off the owner: ") + leader.map(MasterInfo::getPid)
              .orElse("none")));
      actor.execute(watch::start);
      detector.appoint(Optional.of(A));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
      detector.appoint(Optional.empty());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
      detector.appoint(Optional.of(B));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
      assertThat(seen).containsExactly("master@127.0.0.1:5050", "none", "master@127.0.0.1:5051");

      watch.close();
      detector.appoint(Optional.of(A));
      actor.call(() -> null).join();
      assertThat(seen).hasSize(3);
    }
  }

  @Test
  void leaderWatchRestartReportsTheSameLeaderAgainAndOnlyOnce() {
    StandaloneMasterDetector detector = new StandaloneMasterDetector(Optional.of(A));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Actor actor = new Actor("watch-owner", SystemClock.get())) {
      LeaderWatch watch = new LeaderWatch(detector, actor, leader -> seen.add(leader.map(MasterInfo::getPid)
          .orElse("none")));
      actor.execute(watch::start);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
      actor.execute(watch::restart);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);

      // The detection abandoned by restart() is ignored: one change is reported once.
      detector.appoint(Optional.of(B));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
      actor.call(() -> null).join();
      assertThat(seen).containsExactly("master@127.0.0.1:5050", "master@127.0.0.1:5050", "master@127.0.0.1:5051");
    }
  }
}
