package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.detector.MasterEndpoints;
import io.jmesos.detector.StandaloneMasterDetector;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.TestLibraries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code V1Mesos} losing and regaining its master: the master going away and coming back, the event stream
 * ending, {@code reconnect()}, and a new leader reported by the detector. Each loss is {@code disconnected}, each
 * new connection {@code connected}, and the scheduler subscribes again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V1MesosConnectionTest {
  private final RecordingV1Scheduler scheduler = new RecordingV1Scheduler();
  private FakeMaster master;
  private Mesos mesos;

  @BeforeEach
  void startMaster() throws InterruptedException {
    master = new FakeMaster();
  }

  @AfterEach
  void tearDown() {
    if (mesos != null) {
      TestLibraries.close(mesos);
    }
    master.close();
  }

  private void subscribed() {
    mesos = TestLibraries.v1(scheduler, master.url(), null, V1MesosTest.OPTIONS);
    scheduler.awaitEvent(Event.Type.SUBSCRIBED);
  }

  @Test
  void theMasterGoingAwayIsDisconnectedAndItsReturnConnectedAgain() throws InterruptedException {
    subscribed();
    master.stop();
    scheduler.awaitCount("disconnected", 1);
    mesos.send(V1MesosTest.decline("while-away")); // dropped: not subscribed

    master.restart();
    scheduler.awaitCount("received SUBSCRIBED", 2);
    mesos.send(V1MesosTest.revive());
    master.await(Call.Type.REVIVE);
    assertThat(master.callTypes()).containsExactly(Call.Type.REVIVE);
    assertThat(master.recorded().get(master.recorded().size() - 1).streamId).isEqualTo(master.currentStreamId());
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "disconnected",
        "connected", "received SUBSCRIBED");
  }

  @Test
  void theEndOfTheEventStreamIsDisconnectedThenConnectedAgain() {
    subscribed();
    master.dropStream();
    scheduler.awaitCount("received SUBSCRIBED", 2);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "disconnected",
        "connected", "received SUBSCRIBED");
    assertThat(master.subscriptions()).isEqualTo(2);
  }

  @Test
  void reconnectDropsTheConnectionAndConnectsAnew() {
    subscribed();
    String first = master.currentStreamId();
    mesos.reconnect();
    scheduler.awaitCount("received SUBSCRIBED", 2);
    await().atMost(FakeMaster.WAIT).until(() -> master.closedStreams() >= 1);
    assertThat(master.currentStreamId()).isNotEqualTo(first);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "disconnected",
        "connected", "received SUBSCRIBED");
  }

  @Test
  void reconnectWhileDisconnectedIsIgnoredAndNoMasterMeansNoConnection() {
    StandaloneMasterDetector detector = new StandaloneMasterDetector();
    mesos = TestLibraries.v1(scheduler, "unused:5050", null, V1MesosTest.OPTIONS.withMasterDetector(detector));
    mesos.reconnect();
    mesos.send(V1MesosTest.revive());
    assertThat(scheduler.callbacks).isEmpty();

    detector.appoint(Optional.of(info(master)));
    scheduler.awaitEvent(Event.Type.SUBSCRIBED);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED");
    assertThat(master.callTypes()).isEmpty();

    detector.appoint(Optional.empty());
    scheduler.awaitCount("disconnected", 1);
    mesos.reconnect();
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "disconnected");
  }

  @Test
  void aNewLeaderIsDisconnectedThenConnectedToIt() throws InterruptedException {
    try (FakeMaster other = new FakeMaster()) {
      StandaloneMasterDetector detector = new StandaloneMasterDetector(Optional.of(info(master)));
      mesos = TestLibraries.v1(scheduler, "zk://unused:2181/mesos", null,
          V1MesosTest.OPTIONS.withMasterDetector(detector));
      scheduler.awaitEvent(Event.Type.SUBSCRIBED);

      detector.appoint(Optional.of(info(other)));
      scheduler.awaitCount("received SUBSCRIBED", 2);
      await().atMost(FakeMaster.WAIT).until(() -> master.closedStreams() == 1);
      mesos.send(V1MesosTest.revive());
      other.await(Call.Type.REVIVE);
      assertThat(master.subscriptions()).isEqualTo(1);
      assertThat(other.subscriptions()).isEqualTo(1);
      assertThat(master.callTypes()).isEmpty();
      assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "disconnected",
          "connected", "received SUBSCRIBED");
    }
  }

  static MasterInfo info(FakeMaster m) {
    return MasterEndpoints.standaloneInfo(m.address());
  }
}
