package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.detector.MasterEndpoints;
import io.jmesos.detector.StandaloneMasterDetector;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The driver following the leader its detector reports, between two fake masters: it waits without one,
 * subscribes with the one appointed, moves to a new leader as the same framework ({@code disconnected}, then
 * {@code reregistered}), and hears nothing but the subscription with the current leader.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderDetectionTest {
  private static final Duration WAIT = FakeMaster.WAIT;

  private final RecordingScheduler scheduler = new RecordingScheduler();
  private final StandaloneMasterDetector detector = new StandaloneMasterDetector();
  private FakeMaster a;
  private FakeMaster b;
  private MesosSchedulerDriver driver;

  @BeforeEach
  void start() throws InterruptedException {
    a = new FakeMaster();
    b = new FakeMaster();
    driver = new MesosSchedulerDriver(scheduler, Fixtures.framework(), List.of(), "zk://unused:2181/mesos", true,
        null, DriverOptions.defaults().withRegistrationBackoffFactor(Duration.ofMillis(10))
            .withMasterDetector(detector));
  }

  @AfterEach
  void stop() {
    driver.stop(true);
    driver.join();
    a.close();
    b.close();
  }

  @Test
  void waitsForALeaderThenSubscribesWithIt() {
    assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
    await().atMost(WAIT).until(driver::isIdle);
    assertThat(a.subscriptions()).isZero();
    assertThat(scheduler.names()).isEmpty();

    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("registered"));
    assertThat(a.subscriptions()).isEqualTo(1);
    assertThat(b.subscriptions()).isZero();
  }

  @Test
  void followsANewLeaderAsTheSameFrameworkAndTalksOnlyToIt() {
    driver.start();
    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("registered"));

    detector.appoint(Optional.of(info(b)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("reregistered"));
    assertThat(scheduler.names()).containsExactly("registered", "disconnected", "reregistered");
    Call resubscribe = b.await(Call.Type.SUBSCRIBE);
    assertThat(resubscribe.getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    assertThat(resubscribe.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    org.apache.mesos.Protos.MasterInfo reregisteredWith = scheduler.<MasterInfo>values("reregistered").get(0);
    assertThat(reregisteredWith.getPort()).isEqualTo(b.address().getPort());
    await().atMost(WAIT).until(() -> a.closedStreams() == 1);

    driver.reviveOffers();
    b.await(Call.Type.REVIVE);
    assertThat(b.recorded().stream().filter(r -> r.call.getType() == Call.Type.REVIVE).findFirst().orElseThrow()
        .streamId).isEqualTo(b.currentStreamId());
    assertThat(a.calls(Call.Type.REVIVE)).isEmpty();
  }

  /**
   * A master that has just been elected may still redirect SUBSCRIBE to its dead predecessor (its own election
   * not applied yet): the driver follows the redirect once and, when that fails, goes back to the master its
   * detector reported, which the detector will not report again (seen in HighAvailabilityIT).
   */
  @Test
  void aRedirectToADeadMasterFallsBackToTheDetectedOne() throws Exception {
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = socket.getLocalPort();
    }
    a.answerSubscribe(HttpResponse.status(307).withHeader("Location", "//127.0.0.1:" + dead + "/api/v1/scheduler"));
    driver.start();
    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> a.calls(Call.Type.SUBSCRIBE).size() >= 1);
    a.answerSubscribe(null);
    await().atMost(WAIT).until(() -> scheduler.names().contains("registered"));
    assertThat(a.calls(Call.Type.SUBSCRIBE).size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void losingTheLeaderDisconnectsAndWaitsForTheNextOne() {
    driver.start();
    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("registered"));

    detector.appoint(Optional.empty());
    await().atMost(WAIT).until(() -> scheduler.names().contains("disconnected"));
    await().atMost(WAIT).until(() -> a.closedStreams() == 1);
    await().atMost(WAIT).until(driver::isIdle);
    assertThat(a.subscriptions()).isEqualTo(1);

    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("reregistered"));
    assertThat(a.subscriptions()).isEqualTo(2);
  }

  /**
   * Mesos' FaultToleranceTest.SplitBrainMasters, at the process: an event that comes from a subscription other
   * than the current one (one opened with a master that no longer leads) is dropped; the same event on the
   * leader's stream reaches the scheduler.
   */
  @Test
  void eventsFromAnyOtherSubscriptionAreIgnored() throws Exception {
    SchedulerProcess process = new SchedulerProcess(driver, scheduler, Fixtures.framework(), List.of(), detector,
        true, null, DriverOptions.defaults(), () -> { });
    process.start();
    detector.appoint(Optional.of(info(a)));
    await().atMost(WAIT).until(() -> scheduler.names().contains("registered"));

    try (HttpClient http = new HttpClient("stale")) {
      Subscription stale = Subscription.open(http, new InetSocketAddress("127.0.0.1", 1), Map.of(),
          Calls.subscribe(Fixtures.framework(), Set.of(), org.apache.mesos.scheduler.Protos.OfferConstraints
              .getDefaultInstance()), Runnable::run, new IgnoringListener());
      stale.close();
      process.enqueue(() -> process.event(stale, Fixtures.offers("from-the-old-master")));
      a.send(Fixtures.offers("from-the-leader"));
      await().atMost(WAIT).until(() -> scheduler.names().contains("resourceOffers"));
      process.enqueue(() -> { });
      await().atMost(WAIT).until(process::isIdle);
    }
    List<List<Offer>> offers = scheduler.values("resourceOffers");
    assertThat(offers).hasSize(1);
    assertThat(offers.get(0)).extracting(o -> o.getId().getValue()).containsExactly("from-the-leader");
    process.markNotRunning();
    process.stop(true);
  }

  private static MasterInfo info(FakeMaster master) {
    return MasterEndpoints.standaloneInfo(master.address());
  }

  /** A listener for a subscription nobody follows. */
  private static final class IgnoringListener implements Subscription.Listener {
    @Override
    public void accepted(Subscription subscription, String streamId) {}

    @Override
    public void event(Subscription subscription, Event event) {}

    @Override
    public void unparsable(Subscription subscription, String reason) {}

    @Override
    public void rejected(Subscription subscription, int status, Map<String, String> headers, String body) {}

    @Override
    public void broken(Subscription subscription, String reason) {}
  }
}
