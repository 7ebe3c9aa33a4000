package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.jmesos.actor.ManualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.TestLibraries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code V0Mesos}: the v1 interface over the v0 driver, against a fake master. Registration is
 * {@code connected}; SUBSCRIBE releases SUBSCRIBED and what waited; calls become the driver's calls; the driver's
 * callbacks become events; errors, heartbeats and disconnections as Mesos' {@code V0ToV1Adapter} makes them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V0MesosTest {
  static final FrameworkID FRAMEWORK = V1MesosTest.FRAMEWORK;

  private final ManualClock clock = new ManualClock();
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

  private Mesos start(String masterUrl) {
    mesos = TestLibraries.v0(scheduler, scheduler.framework, masterUrl, null, DriverOptions.defaults()
        .withClock(clock).withRegistrationBackoffFactor(Duration.ofMillis(10)));
    return mesos;
  }

  private Mesos subscribed() {
    start(master.url());
    scheduler.awaitEvent(Event.Type.HEARTBEAT);
    return mesos;
  }

  static ByteString uuid() {
    UUID u = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  /** Advances the paused clock a step at a time until {@code condition} holds. */
  private void advanceUntil(Duration step, Callable<Boolean> condition) {
    await().atMost(FakeMaster.WAIT).until(() -> {
      if (condition.call()) {
        return true;
      }
      clock.advance(step);
      return condition.call();
    });
  }

  @Test
  void registrationIsConnectedAndEventsWaitForSubscribe() {
    scheduler.onConnected = m -> { };
    start(master.url());
    scheduler.awaitCount("connected", 1);
    Call registration = master.await(Call.Type.SUBSCRIBE);
    assertThat(registration.getSubscribe().getFrameworkInfo().getName()).isEqualTo("v1-test");
    master.send(Fixtures.offers("o1"));

    scheduler.subscribe(mesos);
    scheduler.awaitEvent(Event.Type.OFFERS);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "received HEARTBEAT",
        "received OFFERS");
    Event.Subscribed subscribed = scheduler.events.get(0).getSubscribed();
    assertThat(subscribed.getFrameworkId()).isEqualTo(FRAMEWORK);
    assertThat(subscribed.getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    assertThat(subscribed.getMasterInfo().getId()).isEqualTo("master-1");
    assertThat(master.subscriptions()).isEqualTo(1);
    assertThat(scheduler.threads).hasSize(1);
  }

  @Test
  void acceptBecomesTheDriversAccept() {
    subscribed();
    master.send(Fixtures.offers("o1"));
    Offer offer = scheduler.awaitEvent(Event.Type.OFFERS).getOffers().getOffers(0);
    TaskInfo task = TaskInfo.newBuilder().setName("t1").setTaskId(TaskID.newBuilder().setValue("t1"))
        .setAgentId(offer.getAgentId()).addAllResources(offer.getResourcesList())
        .setCommand(CommandInfo.newBuilder().setValue("true")).build();
    mesos.send(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FRAMEWORK)
        .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))
            .setFilters(Filters.newBuilder().setRefuseSeconds(1)))
        .build());

    FakeMaster.Recorded accept = master.awaitRecorded(Call.Type.ACCEPT);
    assertThat(accept.streamId).isEqualTo(master.currentStreamId());
    Call.Accept sent = accept.call.getAccept();
    assertThat(sent.getOfferIdsList()).containsExactly(offer.getId());
    assertThat(sent.getOperations(0).getLaunch().getTaskInfos(0)).isEqualTo(task);
    assertThat(sent.getFilters().getRefuseSeconds()).isEqualTo(1.0);
  }

  @Test
  void updatesAreAcknowledgedOnlyExplicitly() {
    subscribed();
    ByteString uuid = uuid();
    master.send(Fixtures.update("t1", TaskState.TASK_RUNNING, uuid));
    TaskStatus status = scheduler.awaitEvent(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(status.getUuid()).isEqualTo(uuid);
    assertThat(status.getAgentId().getValue()).isEqualTo(Fixtures.AGENT);

    mesos.send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FRAMEWORK)
        .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
            .setTaskId(status.getTaskId()).setUuid(status.getUuid()))
        .build());
    Call ack = master.await(Call.Type.ACKNOWLEDGE);
    assertThat(ack.getAcknowledge().getUuid()).isEqualTo(uuid);
    assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t1");
    assertThat(ack.getAcknowledge().getAgentId().getValue()).isEqualTo(Fixtures.AGENT);
    assertThat(master.callTypes()).containsExactly(Call.Type.ACKNOWLEDGE);
  }

  @Test
  void anErrorFromTheMasterIsAnErrorEvent() {
    subscribed();
    master.send(Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
    assertThat(scheduler.awaitEvent(Event.Type.ERROR).getError().getMessage())
        .isEqualTo("Framework has been removed");
  }

  @Test
  void aDriverThatCannotStartConnectsTheSchedulerToTellItTheError() {
    start("file:///no/such/master/file");
    Event error = scheduler.awaitEvent(Event.Type.ERROR);
    assertThat(error.getError().getMessage()).contains("Failed to create a master detector");
    assertThat(scheduler.callbacks).containsExactly("connected", "received ERROR");
  }

  @Test
  void heartbeatsAreMadeEveryFifteenSecondsAfterSubscribe() {
    subscribed();
    clock.advance(Duration.ofSeconds(15));
    scheduler.awaitCount("received HEARTBEAT", 2);
    clock.advance(Duration.ofSeconds(15));
    scheduler.awaitCount("received HEARTBEAT", 3);
    assertThat(scheduler.withoutHeartbeats()).containsExactly("connected", "received SUBSCRIBED");
  }

  @Test
  void aLostSubscriptionIsDisconnectedThenConnectedAgainAsTheSameFramework() {
    subscribed();
    master.dropStream();
    scheduler.awaitCount("disconnected", 1);
    advanceUntil(Duration.ofSeconds(1), () -> scheduler.count("received SUBSCRIBED") == 2);
    assertThat(scheduler.withoutHeartbeats()).containsExactly("connected", "received SUBSCRIBED", "disconnected",
        "connected", "received SUBSCRIBED");
    assertThat(scheduler.events(Event.Type.SUBSCRIBED).get(1).getSubscribed().getFrameworkId())
        .isEqualTo(FRAMEWORK);
    assertThat(master.calls(Call.Type.SUBSCRIBE).get(1).getFrameworkId()).isEqualTo(FRAMEWORK);
  }

  @Test
  void teardownStopsTheDriverAndReconnectDoesNothing() {
    subscribed();
    mesos.reconnect();
    mesos.send(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FRAMEWORK).build());
    master.await(Call.Type.TEARDOWN);
    assertThat(scheduler.withoutHeartbeats()).containsExactly("connected", "received SUBSCRIBED");
  }

  static AgentID agent() {
    return AgentID.newBuilder().setValue(Fixtures.AGENT).build();
  }
}
